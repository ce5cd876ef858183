package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The result lines of a directory's {@code *.jsonl} files, the newest per scenario, case and peer. */
final class ResultSet {
  static final String SMOKE_FILE = "smoke.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Result> latest;

  private ResultSet(List<Result> latest) {
    this.latest = latest;
  }

  static ResultSet load(Path directory) throws IOException {
    List<Result> all = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.filter(ResultSet::isResultFile).sorted().toList()) {
          for (String line : Files.readAllLines(file)) {
            if (line.startsWith("{")) {
              all.add(new Result(JSON.readTree(line)));
            }
          }
        }
      }
    }
    all.sort(Comparator.comparing(Result::time));
    Map<String, Result> newest = new LinkedHashMap<>();
    for (Result result : all) {
      newest.put(result.scenario() + "|" + result.caseName() + "|" + result.peer(), result);
    }
    return new ResultSet(new ArrayList<>(newest.values()));
  }

  private static boolean isResultFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl") && !name.equals(SMOKE_FILE);
  }

  List<Result> all() {
    return latest;
  }

  /** The newest results of one scenario, in case order of first appearance. */
  List<Result> of(String scenario) {
    return latest.stream().filter(r -> r.scenario().equals(scenario)).toList();
  }

  /** The newest results of one scenario that pass {@code filter}. */
  List<Result> of(String scenario, Predicate<Result> filter) {
    return of(scenario).stream().filter(filter).toList();
  }

  /** The distinct cases of one scenario, ordered by the given numeric field. */
  List<String> cases(String scenario, String orderBy) {
    return cases(scenario, orderBy, r -> true);
  }

  /** The distinct cases of one scenario that pass {@code filter}, ordered by the given numeric field. */
  List<String> cases(String scenario, String orderBy, Predicate<Result> filter) {
    return of(scenario, filter).stream()
        .sorted(Comparator.comparing((Result r) -> r.caseName().split(" ")[0])
            .thenComparingDouble(r -> r.number(orderBy))
            .thenComparingInt(Result::nodes)
            .thenComparingDouble(r -> r.number("rate"))
            .thenComparingLong(Result::writeDelayMs))
        .map(Result::caseName)
        .distinct()
        .toList();
  }

  /** The newest floor run writing {@code framesPerWrite} frames per write(), if any. */
  Optional<Result> floor(long framesPerWrite) {
    return of("floor", r -> r.integer("framesPerWrite") == framesPerWrite).stream().max(Comparator.comparing(Result::time));
  }

  /**
   * The newest result of that case and peer. Switchboard's event-loop count is its own setting:
   * for a case that sets it, the other peer's result is the same case without it.
   */
  Result find(String scenario, String caseName, String peer) {
    Result found = latest.stream()
        .filter(r -> r.scenario().equals(scenario) && r.caseName().equals(caseName) && r.peer().equals(peer))
        .findFirst()
        .orElse(null);
    String withoutThreads = caseName.replaceAll(" server threads=\\d+", "");
    return found != null || withoutThreads.equals(caseName) ? found : find(scenario, withoutThreads, peer);
  }
}
