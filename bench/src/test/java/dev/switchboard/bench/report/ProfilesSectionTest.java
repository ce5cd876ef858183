package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesSectionTest {
  @TempDir
  Path bench;

  @Test
  void linksTheNewestProfileOfEachCaseToItsFlameGraph() throws Exception {
    Path profiles = Files.createDirectories(bench.resolve("profiles"));
    Files.writeString(profiles.resolve("fanout-20261101T100000Z.txt"), "old fanout summary\n");
    Files.writeString(profiles.resolve("fanout-20261101T100000Z.svg"), "<svg/>");
    Files.writeString(profiles.resolve("fanout-20261123T130852Z.txt"), "fanout summary\n");
    Files.writeString(profiles.resolve("fanout-20261123T130852Z.svg"), "<svg/>");
    Files.writeString(profiles.resolve("echo-open-20261123T130934Z.txt"), "echo summary\n");

    StringBuilder md = new StringBuilder();
    ProfilesSection.render(profiles, bench.resolve("RESULTS.md"), md);

    assertThat(md.toString())
        .contains("### fanout\n\n[Flame graph](profiles/fanout-20261123T130852Z.svg)\n\n```\nfanout summary\n```")
        .contains("### echo-open\n\n```\necho summary\n```")
        .doesNotContain("old fanout", "20261101T100000Z.svg");
  }
}
