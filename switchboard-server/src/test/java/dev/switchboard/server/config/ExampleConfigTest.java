package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleConfigTest {
  /** A commented-out setting line, as opposed to a line of description ("# ..."). */
  private static final Pattern SETTING_LINE = Pattern.compile("^#([a-z][a-z0-9-]*)=(.*)$");

  @Test
  void everySettingAppearsCommentedOutAtItsDefault() {
    List<String> lines = ExampleConfig.render().lines().toList();
    for (Setting setting : Settings.ALL) {
      assertThat(lines).as("the example's line of %s", setting.key())
          .contains("#" + setting.key() + "=" + setting.defaultValue().replace("\\", "\\\\"));
    }
    assertThat(lines.stream().filter(line -> SETTING_LINE.matcher(line).matches()).count())
        .as("one line per setting, no more").isEqualTo(Settings.ALL.size());
  }

  @Test
  void theFileWithEveryLineUncommentedIsAValidConfigOfTheDefaults(@TempDir Path dir) throws IOException {
    String uncommented = ExampleConfig.render().lines()
        .map(line -> SETTING_LINE.matcher(line).matches() ? line.substring(1) : line)
        .reduce("", (text, line) -> text + line + "\n");
    Path file = Files.writeString(dir.resolve("switchboard.properties"), uncommented, StandardCharsets.UTF_8);

    ConfigValues values = new ConfigValues().file(file);

    for (Setting setting : Settings.ALL) {
      assertThat(values.origin(setting)).as(setting.key()).startsWith("config file");
      assertThat(values.get(setting)).as(setting.key()).isEqualTo(setting.defaultValue());
    }
    assertThat(ServerConfig.from(values)).isEqualTo(ServerConfig.from(new ConfigValues()));
  }

  @Test
  void descriptionLinesStayWithinAHundredColumnsUnlessOneWordIsLonger() {
    for (String line : ExampleConfig.render().lines().toList()) {
      if (line.length() > 100 && !SETTING_LINE.matcher(line).matches()) {
        assertThat(line.substring(2)).as("an over-long line is a single word").doesNotContain(" ");
      }
    }
  }
}
