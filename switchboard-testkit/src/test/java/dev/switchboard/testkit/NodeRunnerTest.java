package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The official socket.io-client, in a Node project of the test's own, against the extension's server. */
class NodeRunnerTest {
  private static final String SCRIPT = """
      import { test } from "node:test";
      import assert from "node:assert/strict";
      import { io } from "socket.io-client";

      test("the server answers a ping with the text it got", async () => {
        const socket = io(process.env.SWITCHBOARD_URL, { transports: ["websocket"], reconnection: false });
        try {
          assert.equal(await socket.emitWithAck("ping", "hello"), "pong hello");
        } finally {
          socket.close();
        }
      });
      """;

  @RegisterExtension
  final SwitchboardExtension switchboard = SwitchboardExtension.withServer(
      io -> io.onConnection(socket -> socket.on("ping", event -> event.ack("pong " + event.args().text(0)))));

  @TempDir
  Path project;

  @Test
  void runsAScriptOfAnotherProjectAgainstTheServer() throws Exception {
    Files.writeString(project.resolve("package.json"), """
        {"name": "handler-test", "private": true, "type": "module"}
        """);
    // The packages of the interop project, socket.io-client among them, stand in for an install.
    Files.createSymbolicLink(project.resolve("node_modules"), NodeRunner.projectDir().resolve("node_modules").toAbsolutePath());
    Files.writeString(project.resolve("ping.test.mjs"), SCRIPT);

    NodeRunner.Result result = NodeRunner.runTest(project, "ping.test.mjs",
        Map.of("SWITCHBOARD_URL", switchboard.server().url()), Duration.ofSeconds(60));

    assertThat(result.exitCode()).as("node --test ping.test.mjs; its output:%n%s", result.outputText()).isZero();
  }
}
