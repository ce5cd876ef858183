package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The filter syntax of {@code --webhook-events} and of a URL's {@code #events=}. */
class EventFilterTest {
  @Test
  void theDefaultIsConnectionsRoomsAndPresenceButNoPublish() {
    EventFilter filter = EventFilter.parse(EventFilter.DEFAULT);
    for (WebhookEventType type : WebhookEventType.values()) {
      assertThat(filter.matches(type, Optional.of("any"))).as("%s", type).isEqualTo(type != WebhookEventType.PUBLISH);
    }
  }

  @Test
  void starIsEveryTypeButPublishWhichIsOptInPerRoomPattern() {
    EventFilter filter = EventFilter.parse("*, publish@orders:*");
    assertThat(filter.matches(WebhookEventType.PRESENCE_LEAVE, Optional.of("doc:1"))).isTrue();
    assertThat(filter.matches(WebhookEventType.PUBLISH, Optional.of("orders:42"))).isTrue();
    assertThat(filter.matches(WebhookEventType.PUBLISH, Optional.of("chat:1"))).isFalse();
    assertThat(EventFilter.parse("publish").matches(WebhookEventType.PUBLISH, Optional.of("chat:1"))).isTrue();
    assertThat(EventFilter.parse("room.*").matches(WebhookEventType.PUBLISH, Optional.of("chat:1"))).isFalse();
  }

  @Test
  void aGroupMayBeLimitedToRooms() {
    EventFilter filter = EventFilter.parse("presence.*@doc:*,disconnect");
    assertThat(filter.matches(WebhookEventType.PRESENCE_JOIN, Optional.of("doc:7"))).isTrue();
    assertThat(filter.matches(WebhookEventType.PRESENCE_JOIN, Optional.of("chat:7"))).isFalse();
    assertThat(filter.matches(WebhookEventType.DISCONNECT, Optional.empty())).isTrue();
    assertThat(filter.matches(WebhookEventType.CONNECT, Optional.empty())).isFalse();
    assertThat(filter.mayMatch(WebhookEventType.PRESENCE_LEAVE)).isTrue();
    assertThat(filter.mayMatch(WebhookEventType.ROOM_OCCUPIED)).isFalse();
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> EventFilter.parse("connect,leave")).hasMessageContaining("'leave' is not an event type");
    assertThatThrownBy(() -> EventFilter.parse("connect@lobby")).hasMessageContaining("connect is not about a room");
    assertThatThrownBy(() -> EventFilter.parse("publish@")).hasMessageContaining("no room pattern");
    assertThatThrownBy(() -> EventFilter.parse(" , ")).hasMessageContaining("no event type");
  }

  @Test
  void urlsAreSplitWhereTheNextOneStartsSoTheirFiltersMayHoldCommas() {
    EventFilter defaults = EventFilter.parse(EventFilter.DEFAULT);
    List<WebhookEndpoint> endpoints = WebhookEndpoint.parseList(
        "https://a.example/hooks, http://b.example:8080/in#events=disconnect,publish@orders:*,https://c.example/x", defaults);
    assertThat(endpoints).extracting(WebhookEndpoint::url).containsExactly(URI.create("https://a.example/hooks"),
        URI.create("http://b.example:8080/in"), URI.create("https://c.example/x"));
    assertThat(endpoints.get(0).events()).isEqualTo(defaults);
    assertThat(endpoints.get(1).events().toString()).isEqualTo("disconnect,publish@orders:*");
    assertThat(endpoints.get(2).events()).isEqualTo(defaults);
    assertThatThrownBy(() -> WebhookEndpoint.parseList("ftp://a.example/x", defaults)).hasMessageContaining("not an http");
    assertThatThrownBy(() -> WebhookEndpoint.parseList("https://a.example/x#connect", defaults))
        .hasMessageContaining("only events=<filter>");
  }
}
