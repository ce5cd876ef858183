package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.socketio.Parser;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Node {@code socket.io-client} with {@code socket.io-msgpack-parser} against a
 * server whose parser is {@link Parser#MSGPACK}: the scripts of {@code interop/node/} that
 * {@link NodeClientInteropTest} runs with the JSON format, every client given the msgpack parser
 * ({@code SWITCHBOARD_PARSER=msgpack}), over WebSocket and polling alike.
 */
class NodeMsgpackInteropTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

  private TestServer server;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void startServer() {
    server = TestServer.start(InteropContract.options(Parser.MSGPACK), InteropContract::install);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"acks", "binary", "rooms", "namespaces", "middleware", "disconnect", "transports"})
  void script(String name) {
    String script = "node/" + name + ".test.mjs";
    NodeRunner.Result result = NodeRunner.runTest(script, Map.of(
        "SWITCHBOARD_URL", server.url(),
        "SWITCHBOARD_PARSER", "msgpack",
        "SWITCHBOARD_MAX_HTTP_BUFFER_SIZE", Integer.toString(InteropContract.MAX_HTTP_BUFFER_SIZE)), SCRIPT_TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test %s with the msgpack parser failed; its output:%n%s", script, result.outputText())
        .isZero();
  }
}
