package dev.switchboard.bench.proc;

import dev.switchboard.bench.cli.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code --pin-cores SERVER/LOADGEN} (e.g. {@code 0/1}): the server under test runs on the first
 * list of cores and this load generator on the second, with {@code taskset}, so neither takes CPU
 * from the other. On a small machine this measures what a server does with a core of its own,
 * which the shared runs cannot tell apart from waiting for the load generator.
 */
public record CorePinning(String serverCores, String loadGenCores) {
  public static Optional<CorePinning> of(Options options) {
    String value = options.text("pin-cores", "");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = value.split("/", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("--pin-cores takes SERVER/LOADGEN core lists, e.g. 0/1; got " + value);
    }
    return Optional.of(new CorePinning(parts[0], parts[1]));
  }

  /** What the server's command starts with: {@code taskset} execs it, so its pid is the server's. */
  List<String> serverPrefix() {
    return List.of("taskset", "-c", serverCores);
  }

  /** Holds every thread of this process to the load generator's cores (threads started later inherit it). */
  public void pinLoadGenerator() {
    ProcessBuilder builder = new ProcessBuilder("taskset", "-a", "-p", "-c", loadGenCores,
        Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("taskset could not pin the load generator to cores " + loadGenCores);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("--pin-cores needs taskset (util-linux)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pinning the load generator", e);
    }
  }

  /** As written in result lines: {@code SERVER/LOADGEN}. */
  @Override
  public String toString() {
    return serverCores + "/" + loadGenCores;
  }
}
