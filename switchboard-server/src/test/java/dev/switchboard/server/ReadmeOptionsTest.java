package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.Setting;
import dev.switchboard.server.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every option {@code switchboard --help} lists has a row in one of README's option tables, and
 * the row shows the default that {@code --help} gives.
 */
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

  @Test
  void everyRowShowsTheDefaultOfHelp() throws IOException {
    Map<String, String> defaults = tableRowDefaults(Files.readAllLines(ReadmeJavaSnippetsTest.README, StandardCharsets.UTF_8));
    List<String> wrong = new ArrayList<>();
    for (Setting setting : Settings.ALL) {
      String cell = defaults.get(setting.flag());
      // An empty default reads "none" or "any" in README, as fits the option.
      if (cell != null && !setting.defaultValue().isEmpty() && !cell.contains("`" + setting.defaultValue() + "`")) {
        wrong.add(setting.flag() + ": --help says " + setting.defaultValue() + ", README's row says " + cell);
      }
    }
    assertThat(wrong).as("README.md rows whose default is not the one of --help (write it as `value`): %s", wrong).isEmpty();
  }

  /** The flags named in the first cell of README's table rows. */
  static Set<String> tableRowFlags(List<String> readme) {
    return tableRowDefaults(readme).keySet();
  }

  /** The second cell (the default) of README's table rows, by each flag named in the first. */
  static Map<String, String> tableRowDefaults(List<String> readme) {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String line : readme) {
      if (!line.startsWith("| `--")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Matcher m = FLAG.matcher(cells[1]);
      while (m.find()) {
        defaults.put(m.group(), cells.length > 2 ? cells[2].strip() : "");
      }
    }
    return defaults;
  }
}
