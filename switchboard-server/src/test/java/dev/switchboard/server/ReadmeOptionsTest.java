package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every option {@code switchboard --help} lists has a row in one of README's option tables. */
class ReadmeOptionsTest {
  private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*");
  /** Options about the command itself, not the server: described in README's text. */
  private static final Set<String> COMMAND = Set.of("--help", "--version");

  @Test
  void everyOptionOfHelpHasARowInReadme() throws IOException {
    Set<String> documented = tableRowFlags(Files.readAllLines(ReadmeJavaSnippetsTest.README, StandardCharsets.UTF_8));
    Set<String> missing = new LinkedHashSet<>();
    for (CommandLine.Model.OptionSpec option : Main.spec().options()) {
      String flag = option.longestName();
      if (!COMMAND.contains(flag) && !documented.contains(flag)) {
        missing.add(flag);
      }
    }
    assertThat(missing)
        .as("options of --help without a row in README.md's option tables (add `| `--name` | default | meaning |`"
            + " to the table of their section): %s", missing)
        .isEmpty();
  }

  /** The flags named in the first cell of README's table rows. */
  static Set<String> tableRowFlags(List<String> readme) {
    Set<String> flags = new LinkedHashSet<>();
    for (String line : readme) {
      if (!line.startsWith("| `--")) {
        continue;
      }
      String firstCell = line.substring(1, line.indexOf('|', 1));
      Matcher m = FLAG.matcher(firstCell);
      while (m.find()) {
        flags.add(m.group());
      }
    }
    return flags;
  }
}
