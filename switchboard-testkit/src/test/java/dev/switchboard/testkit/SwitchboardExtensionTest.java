package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.sse.SseRoomOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The extension serves each test its own server and fails a test that left a client's event untaken. */
class SwitchboardExtensionTest {
  @RegisterExtension
  final SwitchboardExtension switchboard = SwitchboardExtension.withServer(SocketIoOptions.defaults(),
      io -> io.onConnection(socket -> socket.on("ping", event -> socket.emit("pong", event.args().text(0)))),
      (io, http) -> http.route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS)));

  @Test
  void a_test_that_takes_everything_passes() {
    ClientRecorder client = switchboard.connect("/");
    client.socket().emit("ping", "hello");
    assertThat(client.awaitEvent("pong").text(0)).isEqualTo("hello");
  }

  @Test
  void serves_event_streams_on_the_routes_it_was_given() throws Exception {
    SseReader stream = switchboard.sse("/sse?rooms=news");
    assertThat(stream.status()).isEqualTo(200);
    switchboard.io().to("news").emit("headline", "hi");
    assertThat(stream.nextMessage(Duration.ofSeconds(5)).data()).contains("hi");
  }

  @Test
  void a_test_that_leaves_an_event_untaken_fails_after_it_ran() {
    Untidy.enabled = true;
    EngineExecutionResults results;
    try {
      results = EngineTestKit.engine("junit-jupiter")
          .selectors(selectMethod(Untidy.class, "receives_two_answers_and_takes_one"))
          .execute();
    } finally {
      Untidy.enabled = false;
    }
    results.testEvents().assertThatEvents().haveExactly(1,
        event(test("receives_two_answers_and_takes_one"),
            finishedWithFailure(message(m -> m.contains("expected nothing more") && m.contains("pong")))));
  }

  /** Run only through the test kit above. */
  static class Untidy {
    static volatile boolean enabled;

    @RegisterExtension
    final SwitchboardExtension switchboard = SwitchboardExtension.withServer(
        io -> io.onConnection(socket -> socket.on("ping", event -> {
          socket.emit("pong", 1);
          socket.emit("pong", 2);
        })));

    @Test
    void receives_two_answers_and_takes_one() {
      assumeTrue(enabled);
      ClientRecorder client = switchboard.connect("/");
      client.socket().emit("ping");
      client.awaitEvent("pong");
      await().atMost(Duration.ofSeconds(5)).until(() -> client.pending() == 1);
    }
  }
}
