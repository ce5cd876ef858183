package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.NodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The browser-side package {@code clients/js} ({@code @switchboard/client}): its unit tests, and its
 * integration tests against the real standalone server with the official socket.io-client.
 */
class JsClientPackageTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void unitTests() {
    for (String script : new String[] {"test/unit/queue.test.mjs", "test/unit/presence.test.mjs", "test/unit/indexeddb.test.mjs", "test/unit/types.test.mjs"}) {
      passes(script, Map.of());
    }
  }

  @Test
  void againstTheStandaloneServer() {
    try (SwitchboardApp app = TestApps.start(Map.of("ping-interval", "500ms", "ping-timeout", "500ms"))) {
      passes("test/integration/client.test.mjs", Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port()));
    }
  }

  private static void passes(String script, Map<String, String> env) {
    NodeRunner.Result result = NodeRunner.runTest(packageDir(), script, env, TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test %s failed; its output:%n%s", script, result.outputText())
        .isZero();
  }

  /** {@code clients/js}, found from the working directory upwards. */
  static Path packageDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("clients/js");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("no clients/js/package.json above " + Path.of("").toAbsolutePath());
  }
}
