package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opening sessions over real sockets, and the error answers of the Engine.IO v4 reference server. */
class EngineHandshakeTest {
  private static final EngineIoOptions FAST = EngineIoOptions.builder()
      .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)).build();

  private EngineTestServer server;
  private PollingClient client;

  private void start(EngineIoOptions options) {
    server = EngineTestServer.start(options);
    client = new PollingClient(server.port(), server.path());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void polling_handshake_answers_an_open_packet_with_exactly_the_five_keys() {
    start(FAST);
    HttpResponse<String> response = client.get("EIO=4&transport=polling");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    assertThat(response.body()).startsWith("0");
    JsonNode open = PollingClient.parse(response.body().substring(1));
    assertThat(open.properties()).extracting(java.util.Map.Entry::getKey)
        .containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
    assertThat(open.get("sid").isTextual()).isTrue();
    assertThat(open.get("sid").asText()).isNotBlank();
    assertThat(open.get("upgrades")).isEqualTo(PollingClient.parse("[\"websocket\"]"));
    assertThat(open.get("pingInterval").asLong()).isEqualTo(300);
    assertThat(open.get("pingTimeout").asLong()).isEqualTo(200);
    assertThat(open.get("maxPayload").asLong()).isEqualTo(1_000_000);
  }

  @Test
  void every_handshake_gets_its_own_session_id() {
    start(FAST);
    assertThat(client.handshake().sid()).isNotEqualTo(client.handshake().sid());
  }

  @Test
  void websocket_handshake_sends_the_open_packet_first_with_no_upgrades() throws Exception {
    start(FAST);
    try (WsClient ws = WsClient.connect(server.port(), server.path(), "EIO=4&transport=websocket")) {
      String first = ws.nextText();
      assertThat(first).startsWith("0");
      JsonNode open = PollingClient.parse(first.substring(1));
      assertThat(open.properties()).extracting(java.util.Map.Entry::getKey)
          .containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
      assertThat(open.get("upgrades")).isEmpty();
      assertThat(open.get("pingInterval").asLong()).isEqualTo(300);
      assertThat(open.get("maxPayload").asLong()).isEqualTo(1_000_000);
    }
  }

  // ---- errors: 400 with {"code":N,"message":"..."}

  @Test
  void unknown_or_missing_transport_is_error_0() {
    start(FAST);
    assertError(client.get("EIO=4&transport=abc"), 0, "Transport unknown");
    assertError(client.get("EIO=4"), 0, "Transport unknown");
    // As in Node, the transport is checked before the protocol version.
    assertError(client.get("transport=abc"), 0, "Transport unknown");
  }

  @Test
  void unknown_session_id_is_error_1() {
    start(FAST);
    assertError(client.get("EIO=4&transport=polling&sid=nope"), 1, "Session ID unknown");
    assertError(client.post("EIO=4&transport=polling&sid=nope", "4hello"), 1, "Session ID unknown");
  }

  @Test
  void a_handshake_that_is_not_a_get_is_error_2() {
    start(FAST);
    assertError(client.post("EIO=4&transport=polling", "4hello"), 2, "Bad handshake method");
    assertError(client.send(client.request("EIO=4&transport=polling")
        .PUT(HttpRequest.BodyPublishers.ofString("x")).build()), 2, "Bad handshake method");
  }

  @Test
  void a_websocket_request_without_upgrade_headers_or_a_bad_method_on_a_session_is_error_3() {
    start(FAST);
    assertError(client.get("EIO=4&transport=websocket"), 3, "Bad request");
    String sid = client.handshake().sid();
    assertError(client.send(client.request(PollingClient.session(sid))
        .PUT(HttpRequest.BodyPublishers.ofString("4x")).build()), 3, "Bad request");
  }

  @Test
  void a_handshake_with_an_unsupported_protocol_version_is_error_5() {
    start(FAST);
    assertError(client.get("EIO=3&transport=polling"), 5, "Unsupported protocol version");
    assertError(client.get("EIO=abc&transport=polling"), 5, "Unsupported protocol version");
    assertError(client.get("transport=polling"), 5, "Unsupported protocol version");
  }

  @Test
  void requests_of_an_open_session_are_not_checked_for_a_protocol_version_as_in_node() {
    start(FAST);
    String sid = client.handshake().sid();
    HttpResponse<String> post = client.post("transport=polling&sid=" + sid, "4hello");
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("ok");
    assertError(client.get("EIO=3&transport=polling&sid=unknown"), 1, "Session ID unknown");
  }

  @Test
  void a_websocket_handshake_with_a_bad_query_is_refused_with_400() {
    start(FAST);
    assertWebSocketRefused("transport=websocket");
    assertWebSocketRefused("EIO=abc&transport=websocket");
    assertWebSocketRefused("EIO=4");
    assertWebSocketRefused("EIO=4&transport=abc");
    assertWebSocketRefused("EIO=4&transport=websocket&sid=unknown");
  }

  // ---- options

  @Test
  void a_websocket_only_server_answers_polling_with_error_0() throws Exception {
    start(FAST.mutate().transports(Transport.WEBSOCKET).build());
    assertError(client.get("EIO=4&transport=polling"), 0, "Transport unknown");
    try (WsClient ws = WsClient.connect(server.port(), server.path(), "EIO=4&transport=websocket")) {
      assertThat(PollingClient.parse(ws.nextText().substring(1)).get("upgrades")).isEmpty();
    }
  }

  @Test
  void a_polling_only_server_refuses_websocket_and_offers_no_upgrade() {
    start(FAST.mutate().transports(Transport.POLLING).build());
    assertThat(client.handshake().json().get("upgrades")).isEmpty();
    assertWebSocketRefused("EIO=4&transport=websocket");
  }

  @Test
  void without_upgrades_the_handshake_offers_none_and_an_upgrade_is_refused() {
    start(FAST.mutate().allowUpgrades(false).build());
    PollingClient.Handshake handshake = client.handshake();
    assertThat(handshake.json().get("upgrades")).isEmpty();
    assertWebSocketRefused(PollingClient.session(handshake.sid()).replace("polling", "websocket"));
  }

  @Test
  void max_payload_reflects_max_http_buffer_size() {
    start(FAST.mutate().maxHttpBufferSize(1234).build());
    assertThat(client.handshake().json().get("maxPayload").asInt()).isEqualTo(1234);
  }

  private void assertWebSocketRefused(String query) {
    assertThatThrownBy(() -> WsClient.connect(server.port(), server.path(), query))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(400));
  }

  static void assertError(HttpResponse<String> response, int code, String message) {
    assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(PollingClient.parse(response.body()))
        .isEqualTo(PollingClient.parse("{\"code\":" + code + ",\"message\":\"" + message + "\"}"));
  }
}
