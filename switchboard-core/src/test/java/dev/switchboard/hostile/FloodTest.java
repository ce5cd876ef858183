package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.hostile.HostileServer.Disconnect;
import dev.switchboard.limits.ConnectionLimits;
import dev.switchboard.limits.EventLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.ClientRecorder.AckAnswer;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.PollingClient;
import java.util.Map;
import java.util.Optional;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods of events (EventLimits) and of connections from one IP (ConnectionLimits). The official
 * client's view of an event flood on the standalone server is in interop/standalone/limits.test.mjs;
 * here: the server-side reason and the limits of the core library.
 */
class FloodTest {
  private static final int BURST = 10;
  private HostileServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void an_event_flood_is_refused_with_rate_limited_then_disconnected_for_rate_limit_exceeded() throws Exception {
    EventLimits limits = new EventLimits(Optional.of(new RateLimit(0.01, BURST)), Optional.empty(), Map.of(), 20, 0);
    server = HostileServer.start(SocketIoOptions.builder().limits(limits).build());
    ClientRecorder flooder = server.clients().connected("/", Mode.WEBSOCKET);
    String flooderId = flooder.socket().id();

    for (int i = 0; i < BURST + 5; i++) {
      flooder.emitWithAck("ping" + i, "ping", i);
    }
    for (int i = 0; i < BURST; i++) {
      assertThat(flooder.awaitAck("ping" + i).arg(0)).isEqualTo("pong");
    }
    for (int i = BURST; i < BURST + 5; i++) {
      AckAnswer refused = flooder.awaitAck("ping" + i);
      JSONObject answer = (JSONObject) refused.arg(0);
      assertThat(answer.getBoolean("ok")).isFalse();
      assertThat(answer.getJSONObject("error").getString("code")).isEqualTo("RATE_LIMITED");
    }

    // Without acks the refusals come as "error" events; the 20th refusal within 10 s ends it.
    for (int i = 0; i < 30; i++) {
      flooder.socket().emit("ping", i);
    }
    Disconnect disconnect = server.awaitDisconnect(flooderId);
    assertThat(disconnect.reason()).isEqualTo(DisconnectReason.RATE_LIMITED);
    assertThat(disconnect.reason().text()).isEqualTo("rate limit exceeded");
    ClientRecorder.Received error = flooder.awaitEvent("error");
    assertThat(error.json(0).getString("code")).isEqualTo("RATE_LIMITED");

    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void an_exempt_event_is_not_counted_and_leaves_the_budget_to_the_others() throws Exception {
    EventLimits limits = new EventLimits(Optional.of(new RateLimit(0.01, BURST)), Optional.of(new RateLimit(0.01, BURST)),
        Map.of(), 20, 0).withExempt(java.util.List.of("ping"));
    server = HostileServer.start(SocketIoOptions.builder().limits(limits).build());
    ClientRecorder client = server.clients().connected("/", Mode.WEBSOCKET);

    for (int i = 0; i < 3 * BURST; i++) {
      client.emitWithAck("ping" + i, "ping", i);
    }
    for (int i = 0; i < 3 * BURST; i++) {
      assertThat(client.awaitAck("ping" + i).arg(0)).isEqualTo("pong");
    }
    // The other events still have their whole burst, and no more.
    for (int i = 0; i <= BURST; i++) {
      client.emitWithAck("typed" + i, "typed", new JSONObject(Map.of("text", "t" + i)));
    }
    for (int i = 0; i < BURST; i++) {
      assertThat(client.awaitAck("typed" + i).arg(0)).isEqualTo("ok");
    }
    JSONObject refused = (JSONObject) client.awaitAck("typed" + BURST).arg(0);
    assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("RATE_LIMITED");
    server.assertNoOtherDisconnects();
  }

  @Test
  void connections_over_the_per_ip_cap_are_refused_with_503() {
    server = HostileServer.start(options(new ConnectionLimits(0, 3, Optional.empty())));
    try (PollingClient client = server.polling()) {
      client.handshake();
      client.handshake();
      // The bystander holds the third connection from this IP.
      RawRequest.assertEngineError(client.get("EIO=4&transport=polling"), 503, 4, "Too many connections");
      assertThat(RawRequest.get(server.server().port(), "/socket.io/?EIO=4&transport=websocket",
          RawRequest.WEBSOCKET_UPGRADE)).startsWith("HTTP/1.1 503 ");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void connections_opened_too_fast_from_one_ip_are_refused_with_429() {
    server = HostileServer.start(options(new ConnectionLimits(0, 0, Optional.of(new RateLimit(0.01, 3)))));
    try (PollingClient client = server.polling()) {
      client.handshake();
      client.handshake();
      // The bystander's handshake took the third token.
      RawRequest.assertEngineError(client.get("EIO=4&transport=polling"), 429, 4, "Too many new connections");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  private static SocketIoOptions options(ConnectionLimits limits) {
    EngineIoOptions engine = SocketIoOptions.defaults().engine().mutate().connectionLimits(limits).build();
    return SocketIoOptions.builder().engine(engine).build();
  }
}
