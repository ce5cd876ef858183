package dev.switchboard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server profiles {@code bench/run --profile} left as summaries ({@code <case>-<time>.txt}):
 * the newest of each case, as they are, with a link to its flame graph ({@code <case>-<time>.svg})
 * when there is one.
 */
final class ProfilesSection {
  /** A line of a summary's event-loop breakdown that is the kernel's: {@code   37.7%  kernel: send ...}. */
  private static final Pattern KERNEL_LINE = Pattern.compile("\\s*([0-9.]+)%\\s+kernel: .*");

  private ProfilesSection() {}

  /**
   * Appends the section when {@code directory} holds summaries, nothing otherwise; flame graphs are
   * linked relative to {@code markdown}.
   */
  static void render(Path directory, Path markdown, StringBuilder md) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    List<Path> summaries;
    try (Stream<Path> files = Files.list(directory)) {
      summaries = files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList();
    }
    Map<String, Path> newest = new LinkedHashMap<>();
    for (Path summary : summaries) {
      newest.put(caseOf(summary), summary);
    }
    if (newest.isEmpty()) {
      return;
    }
    md.append("## Where the server's CPU goes (profiles)\n\n")
        .append("`bench/run --profile` reruns the cases whose targets are not met with async-profiler sampling ")
        .append("the server (CPU, kernel stacks included) during the measurement window; these are its summaries ")
        .append("and flame graphs, from `bench/profiles/` (the profiled runs' own numbers are in ")
        .append("`profiles/profiled.jsonl`).\n\n");
    for (Map.Entry<String, Path> entry : newest.entrySet()) {
      md.append("### ").append(entry.getKey()).append("\n\n");
      Path flameGraph = entry.getValue().resolveSibling(entry.getValue().getFileName().toString()
          .replaceFirst("\\.txt$", ".svg"));
      if (Files.isRegularFile(flameGraph)) {
        md.append("[Flame graph](").append(link(markdown, flameGraph)).append(")\n\n");
      }
      md.append("```\n")
          .append(Files.readString(entry.getValue()).strip()).append("\n```\n\n");
    }
  }

  /**
   * The share of all samples the newest summary of {@code caseName} puts in the kernel inside the
   * event loops (its {@code kernel: ...} lines); empty without such a summary.
   */
  static OptionalDouble kernelShare(Path directory, String caseName) throws IOException {
    if (!Files.isDirectory(directory)) {
      return OptionalDouble.empty();
    }
    Path newest;
    try (Stream<Path> files = Files.list(directory)) {
      newest = files.filter(f -> f.getFileName().toString().endsWith(".txt") && caseOf(f).equals(caseName))
          .max(Comparator.comparing(Path::toString)).orElse(null);
    }
    if (newest == null) {
      return OptionalDouble.empty();
    }
    double percent = 0;
    boolean found = false;
    for (String line : Files.readAllLines(newest)) {
      Matcher kernel = KERNEL_LINE.matcher(line);
      if (kernel.matches()) {
        percent += Double.parseDouble(kernel.group(1));
        found = true;
      }
    }
    return found ? OptionalDouble.of(percent / 100) : OptionalDouble.empty();
  }

  /** The file's path relative to the Markdown file's directory, with forward slashes. */
  private static String link(Path markdown, Path file) {
    Path relative = markdown.toAbsolutePath().getParent().relativize(file.toAbsolutePath());
    return relative.toString().replace('\\', '/');
  }

  /** {@code echo-open-20261123T130934Z.txt} → {@code echo-open}. */
  private static String caseOf(Path summary) {
    String name = summary.getFileName().toString();
    int stamp = name.lastIndexOf('-');
    return stamp > 0 ? name.substring(0, stamp) : name;
  }
}
