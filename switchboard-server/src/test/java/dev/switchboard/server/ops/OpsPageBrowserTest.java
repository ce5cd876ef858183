package dev.switchboard.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ops page in headless Chromium ({@code interop/browser/ops.test.mjs}) behind HTTP Basic: it
 * renders, lists the node serving it, and its connection and delivery charts move while official
 * socket.io-clients publish to a room; on two nodes over a real redis-server it lists both, and the
 * room's members of both. Each run leaves a screenshot under {@code target/}, checked not blank.
 */
class OpsPageBrowserTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);

  @BeforeAll
  static void requireBrowser() {
    NodeRunner.ensureBrowser();
  }

  @Test
  void thePageShowsThisNodeAndItsChartsMoveUnderTraffic() throws Exception {
    Path screenshot = Path.of("target", "ops-page.png").toAbsolutePath();
    try (SwitchboardApp app = TestApps.start(OpsPageTest.adminSettings())) {
      NodeRunner.Result result = run(Map.of("SWITCHBOARD_URL", url(app), "OPS_SCREENSHOT", screenshot.toString()));
      assertThat(result.outputText()).contains("OPS_READINGS");
    }
    assertNotBlank(screenshot);
  }

  @Test
  void onTwoNodesThePageOfOneShowsBoth() throws Exception {
    Path screenshot = Path.of("target", "ops-page-cluster.png").toAbsolutePath();
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = TestApps.start(OpsPageTest.adminSettings("redis", redis.uri()));
        SwitchboardApp b = TestApps.start(OpsPageTest.adminSettings("redis", redis.uri()))) {
      NodeRunner.Result result = run(Map.of("SWITCHBOARD_URL", url(a), "SWITCHBOARD_OTHER_URL", url(b),
          "OPS_SCREENSHOT", screenshot.toString()));
      assertThat(result.outputText()).contains(a.cluster().orElseThrow().nodeId(), b.cluster().orElseThrow().nodeId());
    }
    assertNotBlank(screenshot);
  }

  private static NodeRunner.Result run(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("ADMIN_USER", OpsPageTest.USER);
    all.put("ADMIN_PASSWORD", OpsPageTest.PASSWORD);
    NodeRunner.Result result = NodeRunner.runTest("browser/ops.test.mjs", all, SCRIPT_TIMEOUT);
    assertThat(result.exitCode()).as("node --test ops.test.mjs failed; its output:%n%s", result.outputText()).isZero();
    return result;
  }

  /** A page screenshot with many colours: text, tables and chart lines, not an empty page. */
  private static void assertNotBlank(Path screenshot) throws Exception {
    assertThat(screenshot).exists();
    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertThat(image.getWidth()).isGreaterThan(800);
    assertThat(image.getHeight()).isGreaterThan(600);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("distinct colours in %s", screenshot).isGreaterThan(50);
  }

  private static String url(SwitchboardApp app) {
    return "http://127.0.0.1:" + app.port();
  }
}
