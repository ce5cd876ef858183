package dev.switchboard.server.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server in a process of its own (this JVM's classpath), so that a test can stop it
 * with a real signal: SIGKILL, or SIGTERM (its graceful stop).
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("listening on [^ ]+:(\\d+) ");

  private final Process process;
  private final int port;
  private final List<String> output;
  private final Thread reader;

  private ServerProcess(Process process, int port, List<String> output, Thread reader) {
    this.process = process;
    this.port = port;
    this.output = output;
    this.reader = reader;
  }

  /** Starts {@code switchboard} with {@code args} on a free port and waits for its banner (at most 30 s). */
  static ServerProcess start(Map<String, String> environment, String... args) throws Exception {
    return start(List.of(), environment, args);
  }

  /**
   * A server started for a short life: its JVM compiles with C1 only and collects serially, so that
   * it listens sooner.
   */
  static ServerProcess startShortLived(Map<String, String> environment, String... args) throws Exception {
    return start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"), environment, args);
  }

  private static ServerProcess start(List<String> jvmOptions, Map<String, String> environment, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"),
        "dev.switchboard.server.Main", "--host", "127.0.0.1", "--port", "0", "--demo", "false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          System.out.println("[node] " + line);
          output.add(line);
          Matcher m = BANNER.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      port.completeExceptionally(new IOException("the server process ended before it listened"));
    }, "server-process-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ServerProcess(process, port.get(30, TimeUnit.SECONDS), output, reader);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** SIGTERM: the server stops gracefully (its shutdown hook drains it). */
  void terminate() {
    // Through the handle: Process.destroy() would also close the pipes, losing what the stopping server prints.
    process.toHandle().destroy();
  }

  /**
   * Waits up to {@code timeout} for the process to end (and its output to be read); its exit code,
   * or empty if it is still running.
   */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return OptionalInt.empty();
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    return OptionalInt.of(process.exitValue());
  }

  /** The first line the process printed that matches {@code pattern}, if any. */
  Optional<Matcher> line(Pattern pattern) {
    return output.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
  }

  /** SIGKILL: no shutdown hook runs, nothing is cleaned up. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
