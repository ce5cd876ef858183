package dev.switchboard.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A load-generator child process ({@code LoadGen <worker scenario> ...}) driven by lines: the
 * parent writes commands to its stdin and reads the JSON lines it prints on stdout. Its stderr
 * goes to the parent's.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private WorkerProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readLines, "worker-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code LoadGen scenario args...} on {@code java} with this process's class path and
   * {@code jvmOptions} (whitespace-separated, may be empty).
   */
  public static WorkerProcess start(String java, String jvmOptions, String scenario, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--enable-native-access=ALL-UNNAMED");
    if (!jvmOptions.isBlank()) {
      command.addAll(Arrays.asList(jvmOptions.trim().split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.switchboard.bench.LoadGen");
    command.add(scenario);
    command.addAll(args);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a load-generator worker: " + command, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "worker-stop"));
    return new WorkerProcess(process);
  }

  /** The next line the worker printed, waiting at most {@code seconds}. */
  public String nextLine(double seconds) {
    try {
      String line = lines.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IllegalStateException("worker " + pid() + " printed nothing within " + seconds + " s");
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new IllegalStateException("worker " + pid() + " ended (exit " + exitCode() + ") before its line");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for worker " + pid(), e);
    }
  }

  /** Writes one command line to the worker's stdin. */
  public void send(String command) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to worker " + pid(), e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public ProcStats stats() {
    return new ProcStats(process.pid());
  }

  private String exitCode() {
    return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
  }

  private void readLines() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
    lines.add(EOF);
  }

  /** Closes its stdin (the worker's cue to end), then SIGTERM, then SIGKILL after five seconds. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        return; // it ended on its own once its input closed
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Processes.stop(process);
  }
}
