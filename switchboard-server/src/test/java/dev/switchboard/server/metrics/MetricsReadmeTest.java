package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.redis.RedisProcess;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's table of meters and what a standalone server registers agree: every {@code switchboard.*}
 * meter of a node with everything on (a cluster on Redis, authentication, SSE, webhooks, a publish channel) has a row with its
 * tags, and every row names a meter the server registers, with those tags.
 */
class MetricsReadmeTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern ROW = Pattern.compile("^\\| `(switchboard\\.[a-z.]+)` \\|[^|]*\\|([^|]*)\\|");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  @Test
  void everyRegisteredMeterHasARowWithItsTagsAndEveryRowIsRegistered() throws Exception {
    Map<String, TreeSet<String>> registered;
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp app = TestApps.start(Map.of("demo", "false", "redis", redis.uri(),
            "jwt-secret", "a-secret-of-at-least-thirty-two-bytes!!",
            // Nothing listens there: the meters exist whether or not anything is delivered.
            "webhook-url", "http://127.0.0.1:9/events", "webhook-secret", "a-webhook-secret-of-16+",
            "redis-publish-channel", "ws:events"))) {
      registered = meters(app.meterRegistry().orElseThrow());
    }
    Map<String, TreeSet<String>> documented = rows(Files.readAllLines(README, StandardCharsets.UTF_8));
    assertThat(documented)
        .as("README.md's meter table (| `name` | type | `tag` (values), ... | meaning |) against the meters a node registers")
        .isEqualTo(registered);
  }

  @Test
  void noMetersAreServedWithMetricsOff() throws IOException {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "metrics", "false"))) {
      assertThat(app.meterRegistry()).isEmpty();
      assertThat(app.io().options().meterRegistry()).isEmpty();
    }
  }

  /** Each {@code switchboard.*} meter's name and tag keys. */
  private static Map<String, TreeSet<String>> meters(MeterRegistry registry) {
    Map<String, TreeSet<String>> meters = new TreeMap<>();
    for (Meter meter : registry.getMeters()) {
      if (meter.getId().getName().startsWith("switchboard.")) {
        TreeSet<String> tags = meters.computeIfAbsent(meter.getId().getName(), name -> new TreeSet<>());
        meter.getId().getTags().stream().map(Tag::getKey).forEach(tags::add);
      }
    }
    return meters;
  }

  /** The meter rows of README: name, and the tag keys of the tags cell (backticked, outside parentheses). */
  static Map<String, TreeSet<String>> rows(List<String> readme) {
    Map<String, TreeSet<String>> rows = new TreeMap<>();
    for (String line : readme) {
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String tags = row.group(2);
      String previous;
      do {
        previous = tags;
        tags = tags.replaceAll("\\([^()]*\\)", "");
      } while (!tags.equals(previous));
      TreeSet<String> keys = new TreeSet<>();
      Matcher tag = BACKTICKED.matcher(tags);
      while (tag.find()) {
        keys.add(tag.group(1));
      }
      rows.put(row.group(1), keys);
    }
    return rows;
  }
}
