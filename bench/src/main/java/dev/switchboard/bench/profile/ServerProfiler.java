package dev.switchboard.bench.profile;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * async-profiler sampling a server JVM's CPU (kernel stacks included) for one measurement window:
 * attached through the JDK's attach API when the window opens, stopped when it closes, leaving
 * the samples as collapsed stacks ({@code frame;frame;... count} per line), a summary and a flame
 * graph beside them.
 */
public final class ServerProfiler {
  private static final String LIBRARY = "linux-x64/libasyncProfiler.so";
  /** One sample per millisecond of CPU: enough for a 10 s window, light enough not to skew it. */
  private static final String START = "start,event=cpu,interval=1ms,threads";

  private final long pid;
  private final Path library;
  private final Path collapsed;

  private ServerProfiler(long pid, Path library, Path collapsed) {
    this.pid = pid;
    this.library = library;
    this.collapsed = collapsed;
  }

  /** Starts sampling the JVM {@code pid}; its stacks go to {@code collapsed} on {@link #stop()}. */
  public static ServerProfiler start(long pid, Path collapsed) {
    ServerProfiler profiler = new ServerProfiler(pid, extractLibrary(), collapsed.toAbsolutePath());
    profiler.command(START);
    return profiler;
  }

  /**
   * Stops sampling, writes the collapsed stacks, their summary ({@code .txt}) and flame graph
   * ({@code .svg}); returns the summary's path.
   */
  public Path stop() {
    try {
      Files.createDirectories(collapsed.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    command("stop,file=" + collapsed + ",collapsed");
    String base = collapsed.getFileName().toString().replaceFirst("\\.collapsed$", "");
    Path summary = collapsed.resolveSibling(base + ".txt");
    ProfileSummary.write(collapsed, summary);
    FlameGraph.write(collapsed, collapsed.resolveSibling(base + ".svg"));
    return summary;
  }

  private void command(String options) {
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        vm.loadAgentPath(library.toString(), options);
      } finally {
        vm.detach();
      }
    } catch (Exception e) {
      throw new IllegalStateException("async-profiler: '" + options + "' in process " + pid + " failed: " + e, e);
    }
  }

  private static Path extractLibrary() {
    if (!System.getProperty("os.name").startsWith("Linux") || !System.getProperty("os.arch").equals("amd64")) {
      throw new IllegalStateException("--profile needs Linux on x86-64 (async-profiler's bundled library)");
    }
    try (InputStream in = ServerProfiler.class.getClassLoader().getResourceAsStream(LIBRARY)) {
      if (in == null) {
        throw new IllegalStateException("async-profiler's " + LIBRARY + " is not on the classpath");
      }
      Path file = Files.createTempFile("async-profiler", ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
