package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.NodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo app's bundle is committed into the server's resources, so the jar serves it without
 * Node.js: {@code clients/demo} builds it again (esbuild) and the test fails when the committed
 * files differ from what the sources build.
 */
class DemoBundleTest {
  @Test
  void committedBundleIsWhatTheSourcesBuild() {
    NodeRunner.Result result = NodeRunner.runTest(demoDir(), "test/bundle.test.mjs", Map.of(), Duration.ofSeconds(120));
    assertThat(result.exitCode())
        .as("the demo bundle is stale; its output:%n%s", result.outputText())
        .isZero();
  }

  /** {@code clients/demo}, found from the working directory upwards. */
  private static Path demoDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("clients/demo");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("no clients/demo/package.json above " + Path.of("").toAbsolutePath());
  }
}
