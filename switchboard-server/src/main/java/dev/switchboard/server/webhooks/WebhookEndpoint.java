package dev.switchboard.server.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backend URL that gets events, and which ones.
 *
 * @param url where events are POSTed (http or https)
 * @param events the events it gets
 */
public record WebhookEndpoint(URI url, EventFilter events) {
  /** What starts a URL's own filter: {@code https://backend/hooks#events=connect,disconnect}. */
  public static final String EVENTS_FRAGMENT = "#events=";

  public WebhookEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(events, "events");
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL");
    }
  }

  /**
   * The endpoints of a list such as {@code https://a/hooks, https://b/hooks#events=publish@orders:*}:
   * URLs separated by commas (a comma followed by {@code http://} or {@code https://} starts the
   * next one, so a URL's own filter may hold commas); a URL without {@code #events=} gets
   * {@code defaults}. Fails with {@link IllegalArgumentException} saying which URL or item is wrong.
   */
  public static List<WebhookEndpoint> parseList(String list, EventFilter defaults) {
    List<WebhookEndpoint> endpoints = new ArrayList<>();
    for (String entry : list.split(",(?=\\s*https?://)")) {
      if (!entry.isBlank()) {
        endpoints.add(parse(entry.trim(), defaults));
      }
    }
    return List.copyOf(endpoints);
  }

  /** One URL, with its own filter after {@code #events=} or else {@code defaults}. */
  public static WebhookEndpoint parse(String entry, EventFilter defaults) {
    int hash = entry.indexOf('#');
    String url = hash < 0 ? entry : entry.substring(0, hash);
    EventFilter events = defaults;
    if (hash >= 0) {
      if (!entry.startsWith(EVENTS_FRAGMENT, hash)) {
        throw new IllegalArgumentException("'" + entry + "': after '#' only events=<filter> may follow");
      }
      events = EventFilter.parse(entry.substring(hash + EVENTS_FRAGMENT.length()));
    }
    try {
      return new WebhookEndpoint(new URI(url.trim()), events);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a URL");
    }
  }

  @Override
  public String toString() {
    return url + EVENTS_FRAGMENT + events;
  }
}
