package dev.switchboard.bench.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads collapsed stacks: one {@code root;frame;...;leaf count} line per distinct stack. */
final class CollapsedStacks {
  /** Receives each stack, root first, with its sample count. */
  @FunctionalInterface
  interface Visitor {
    void stack(String[] frames, long samples);
  }

  private CollapsedStacks() {}

  /** Hands every stack of {@code collapsed} to {@code visitor}; blank lines are skipped, malformed ones rejected. */
  static void read(Path collapsed, Visitor visitor) {
    try (BufferedReader reader = Files.newBufferedReader(collapsed)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (!line.isBlank()) {
          parse(line.strip(), visitor, collapsed, number);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void parse(String line, Visitor visitor, Path file, int number) {
    int space = line.lastIndexOf(' ');
    long samples = -1;
    if (space > 0) {
      try {
        samples = Long.parseLong(line.substring(space + 1));
      } catch (NumberFormatException e) {
        samples = -1;
      }
    }
    if (samples < 0) {
      throw new IllegalArgumentException(file + " line " + number + ": expected 'frame;frame;... count', got '"
          + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'");
    }
    visitor.stack(line.substring(0, space).split(";"), samples);
  }
}
