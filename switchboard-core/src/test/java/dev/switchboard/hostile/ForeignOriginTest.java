package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.http.CorsOptions;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.hostile.HostileServer.PollingSession;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.PollingClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page from another origin may neither open nor take over a connection (403). The polling
 * handshake alone is tested in EngineCorsTest; the standalone server with the official client in
 * interop/standalone/limits.test.mjs.
 */
class ForeignOriginTest {
  private static final String EVIL = "Origin: http://evil.example\r\n";
  private HostileServer server;

  @BeforeEach
  void start() {
    EngineIoOptions engine = SocketIoOptions.defaults().engine().mutate()
        .cors(CorsOptions.allow("http://app.example")).build();
    server = HostileServer.start(SocketIoOptions.builder().engine(engine).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_websocket_handshake_from_a_foreign_origin_is_refused_with_403() {
    String answer = RawRequest.get(server.server().port(), "/socket.io/?EIO=4&transport=websocket",
        EVIL + RawRequest.WEBSOCKET_UPGRADE);
    assertThat(answer).startsWith("HTTP/1.1 403 ").contains("\"message\":\"Forbidden\"");
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void a_foreign_origin_cannot_use_or_upgrade_someone_elses_session() {
    try (PollingClient client = server.polling()) {
      PollingSession session = server.pollingJoined(client);
      String query = "/socket.io/?" + PollingClient.session(session.sid());

      assertThat(RawRequest.get(server.server().port(), query, EVIL)).startsWith("HTTP/1.1 403 ");
      assertThat(RawRequest.get(server.server().port(),
          "/socket.io/?EIO=4&transport=websocket&sid=" + session.sid(), EVIL + RawRequest.WEBSOCKET_UPGRADE))
          .startsWith("HTTP/1.1 403 ");
      HttpResponse<String> forged = client.send(client.request(PollingClient.session(session.sid()))
          .header("Origin", "http://evil.example")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("42[\"ping\",\"forged\"]")).build());
      assertThat(forged.statusCode()).isEqualTo(403);

      // The owner's session goes on.
      assertThat(client.push(session.sid(), "421[\"ping\",\"mine\"]").body()).isEqualTo("ok");
      assertThat(client.poll(session.sid()).body()).isEqualTo("431[\"pong\",\"mine\"]");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }
}
