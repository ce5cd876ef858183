package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where Socket.IO is served, whichever way its options are built. */
class SocketIoOptionsTest {
  private static final EngineIoOptions FASTER_PINGS = EngineIoOptions.builder().pingInterval(Duration.ofSeconds(5)).build();

  @Test
  void engine_options_built_for_a_timeout_leave_socket_io_at_its_own_path() {
    SocketIoOptions options = SocketIoOptions.builder().engine(FASTER_PINGS).build();
    assertThat(options.path()).isEqualTo("/socket.io/");
    assertThat(options.engine().pingInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void a_real_client_finds_socket_io_at_its_path_when_engine_options_are_given() throws Exception {
    try (TestServer server = TestServer.start(SocketIoOptions.builder().engine(FASTER_PINGS).build(), io -> { });
        PollingClient client = new PollingClient(server.port(), "/socket.io/")) {
      PollingClient.Handshake handshake = client.handshake();
      assertThat(handshake.json().get("pingInterval").asInt()).isEqualTo(5000);
    }
  }

  @Test
  void a_path_set_on_the_socket_io_builder_wins_in_either_order() {
    assertThat(SocketIoOptions.builder().path("/rt").engine(FASTER_PINGS).build().path()).isEqualTo("/rt/");
    assertThat(SocketIoOptions.builder().engine(FASTER_PINGS).path("/rt").build().path()).isEqualTo("/rt/");
    assertThat(SocketIoOptions.builder().path("/engine.io/").build().path()).isEqualTo("/engine.io/");
  }

  @Test
  void a_path_other_than_engine_io_s_default_set_on_the_engine_options_counts() {
    EngineIoOptions engine = EngineIoOptions.builder().path("/live/").build();
    assertThat(SocketIoOptions.builder().engine(engine).build().path()).isEqualTo("/live/");
  }

  @Test
  void mutate_keeps_the_path() {
    SocketIoOptions options = SocketIoOptions.builder().path("/engine.io/").build();
    assertThat(options.mutate().ackTimeout(Duration.ofSeconds(3)).build().path()).isEqualTo("/engine.io/");
    assertThat(SocketIoOptions.defaults().mutate().engine(FASTER_PINGS).build().path()).isEqualTo("/socket.io/");
  }
}
