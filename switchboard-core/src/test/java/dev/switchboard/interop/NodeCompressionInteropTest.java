package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.WebSocketCompression;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official Node {@code socket.io-client}, whose WebSocket (ws) offers permessage-deflate by
 * default, against a server with compression on: {@code compression.test.mjs} checks the
 * negotiation and large messages and broadcasts, and the binary, acks and rooms scripts run over
 * compressed connections. The same negotiation script against a server with compression off
 * checks that nothing is agreed then.
 */
class NodeCompressionInteropTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

  private TestServer server;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "{0} with compression {1}")
  @CsvSource({
      "compression, on", "compression, off", "binary, on", "acks, on", "rooms, on",
  })
  void script(String name, String compression) {
    SocketIoOptions contract = InteropContract.options();
    server = TestServer.start(compression.equals("on")
        ? contract.mutate().engine(contract.engine().mutate()
            .webSocketCompression(WebSocketCompression.defaults()).build()).build()
        : contract, InteropContract::install);
    String script = "node/" + name + ".test.mjs";
    NodeRunner.Result result = NodeRunner.runTest(script, Map.of(
        "SWITCHBOARD_URL", server.url(),
        "SWITCHBOARD_WS_COMPRESSION", compression,
        "SWITCHBOARD_MAX_HTTP_BUFFER_SIZE", Integer.toString(InteropContract.MAX_HTTP_BUFFER_SIZE)), SCRIPT_TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test %s with compression %s failed; its output:%n%s", script, compression, result.outputText())
        .isZero();
  }
}
