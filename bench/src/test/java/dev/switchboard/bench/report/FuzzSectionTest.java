package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuzzSectionTest {
  @TempDir
  Path results;

  private static String line(String target, long executions, long requested, int findings, int exit) {
    return String.format("{\"target\":\"%s\",\"method\":\"decode\",\"module\":\"m\",\"requested\":%d,\"executions\":%d,"
        + "\"wall_s\":300.5,\"exec_per_s\":33278,\"edges\":97,\"features\":512,\"corpus_entries\":112,"
        + "\"corpus_size\":\"15Kb\",\"findings\":%d,\"finding_inputs\":[],\"exit\":%d,\"leak_detection\":\"simple\","
        + "\"max_duration\":\"15m\",\"date\":\"2026-12-07\",\"met\":false}", target, requested, executions, findings, exit);
  }

  @Test
  void showsTheNewestRunOfEachTargetAgainstTheBar() throws Exception {
    Path fuzz = Files.createDirectories(results.resolve("fuzz"));
    Files.writeString(fuzz.resolve("20261201T100000Z.jsonl"),
        line("OldFuzzTest", 10_000_000, 10_000_000, 0, 0) + "\n" + line("CodecFuzzTest", 20_000, 10_000_000, 1, 1) + "\n");
    Files.writeString(fuzz.resolve("20261207T090000Z.jsonl"),
        line("CodecFuzzTest", 10_000_000, 10_000_000, 0, 0) + "\n" + line("SlowFuzzTest", 4_000_000, 10_000_000, 0, 0) + "\n"
            + line("LeakyFuzzTest", 10_000_000, 10_000_000, 0, 1) + "\n");

    StringBuilder md = new StringBuilder();
    FuzzSection.render(fuzz, md);

    assertThat(md.toString())
        .startsWith("## Fuzzing\n")
        .contains("| `OldFuzzTest.decode` | 10,000,000 | 33,278 | 5.0 min | 97 | 512 | 112 (15Kb) | 0 | simple | 2026-12-07 | yes |")
        .contains("| `CodecFuzzTest.decode` | 10,000,000 | 33,278 | 5.0 min | 97 | 512 | 112 (15Kb) | 0 | simple | 2026-12-07 | yes |")
        .contains("| `SlowFuzzTest.decode` | 4,000,000 of 10,000,000 (stopped at 15m; 10,000,000 would take ≈ 5.0 min at this rate) |")
        .contains("| `LeakyFuzzTest.decode` | 10,000,000 | 33,278 | 5.0 min | 97 | 512 | 112 (15Kb) | 0 (exit 1) |")
        .doesNotContain("| 1 |");
    assertThat(md.toString().lines().filter(l -> l.startsWith("| `LeakyFuzzTest")).findFirst().orElseThrow())
        .endsWith("| no |");
  }

  @Test
  void writesNothingWithoutRuns() throws Exception {
    StringBuilder md = new StringBuilder();
    FuzzSection.render(results.resolve("fuzz"), md);
    assertThat(md.toString()).isEmpty();
  }
}
