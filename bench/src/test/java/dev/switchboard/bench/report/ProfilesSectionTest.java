package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

  @Test
  void theKernelsShareIsSummedFromTheNewestSummaryOfACase() throws Exception {
    Path profiles = Files.createDirectories(bench.resolve("profiles"));
    Files.writeString(profiles.resolve("echo-open-20261101T100000Z.txt"), "   90.0%  kernel: send (one buffer)\n");
    Files.writeString(profiles.resolve("echo-open-20261123T130934Z.txt"), String.join("\n",
        "By thread, share of all samples:",
        "   97.8%  event loops",
        "Inside the event loops, share of all samples:",
        "   37.7%  kernel: send (one buffer)",
        "   33.1%  kernel: epoll_wait (waiting, waking up)",
        "   21.0%  Java and native code (not the kernel)",
        "    5.8%  kernel: recv/read",
        "  of which the receiving side's TCP work on loopback (tcp_v4_rcv, run in the sender's softirq): 16.1%"));
    Files.writeString(profiles.resolve("echo-open-publish-kept-20261201T000000Z.txt"), "   10.0%  kernel: send\n");

    assertThat(ProfilesSection.kernelShare(profiles, "echo-open").orElseThrow()).isCloseTo(0.766, within(1e-9));
    assertThat(ProfilesSection.kernelShare(profiles, "fanout")).isEmpty();
  }
}
