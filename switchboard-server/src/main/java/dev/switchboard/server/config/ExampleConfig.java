package dev.switchboard.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The example config file shipped with the distribution: every setting, commented out at its
 * default, with its description. Written from {@link Settings#ALL} by the build, so that it lists
 * every setting the server knows.
 */
public final class ExampleConfig {
  private static final int WIDTH = 100;

  private ExampleConfig() {}

  /**
   * The file's text: a header, then one block per setting.
   *
   * @return the properties text, lines ending with {@code \n}
   */
  public static String render() {
    StringBuilder out = new StringBuilder();
    List<String> header = List.of(
        "Switchboard server settings, in Java properties format: key=value, one per line. Every setting is"
            + " listed at its default, commented out: uncomment and change the ones you need.",
        "Use this file with --config FILE or SWITCHBOARD_CONFIG=FILE. Each key is also a flag (--key) and an"
            + " environment variable (SWITCHBOARD_KEY, dashes as underscores); flags win over the environment,"
            + " which wins over this file. Keep secrets (keys, passwords) in the environment rather than here.",
        "Durations: 500ms, 25s, 2m, 1h (a bare number is milliseconds). Lists: comma-separated.");
    for (String paragraph : header) {
      if (!out.isEmpty()) {
        out.append("#\n");
      }
      for (String line : wrap(paragraph, WIDTH - 2)) {
        out.append("# ").append(line).append('\n');
      }
    }
    for (Setting setting : Settings.ALL) {
      out.append('\n');
      for (String line : wrap(setting.description(), WIDTH - 2)) {
        out.append("# ").append(line).append('\n');
      }
      out.append("#").append(setting.key()).append('=').append(escape(setting.defaultValue())).append('\n');
    }
    return out.toString();
  }

  /**
   * Writes {@link #render()} to the file named by the one argument, creating its directory.
   *
   * @param args the path of the file to write
   * @throws IOException when it cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ExampleConfig <file>");
    }
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(), StandardCharsets.UTF_8);
  }

  /** A value as java.util.Properties reads it back: backslashes and a leading space escaped. */
  private static String escape(String value) {
    String escaped = value.replace("\\", "\\\\");
    return escaped.startsWith(" ") ? "\\" + escaped : escaped;
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (!line.isEmpty()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
