package dev.switchboard.bench.profile;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * async-profiler sampling a server JVM for one measurement window: attached through the JDK's
 * attach API when the window opens, stopped when it closes, leaving the samples as collapsed stacks
 * ({@code frame;frame;... count} per line) and a flame graph beside them, and for CPU samples
 * (kernel stacks included) a summary too.
 */
public final class ServerProfiler {
  private static final String LIBRARY = "linux-x64/libasyncProfiler.so";
  /** What is sampled. */
  public enum Event {
    /** Where the CPU goes: one sample per millisecond of CPU, enough for a 10 s window, light enough not to skew it. */
    CPU("event=cpu,interval=1ms"),
    /** Where the threads are, running or not (waiting for a lock, in a pause): one sample per thread every 5 ms. */
    WALL("event=wall,interval=5ms"),
    /** Where threads wait to enter a contended lock, weighted by the time they wait. */
    LOCK("lock=100us");

    private final String options;

    Event(String options) {
      this.options = options;
    }

    /** The event named {@code name} (cpu, wall or lock). */
    public static Event named(String name) {
      for (Event event : values()) {
        if (event.name().equalsIgnoreCase(name)) {
          return event;
        }
      }
      throw new IllegalArgumentException("--profile-event must be cpu, wall or lock, got '" + name + "'");
    }
  }

  private final long pid;
  private final Event event;
  private final Path library;
  private final Path collapsed;

  private ServerProfiler(long pid, Event event, Path library, Path collapsed) {
    this.pid = pid;
    this.event = event;
    this.library = library;
    this.collapsed = collapsed;
  }

  /** Starts sampling the JVM {@code pid}; its stacks go to {@code collapsed} on {@link #stop()}. */
  public static ServerProfiler start(long pid, Event event, Path collapsed) {
    ServerProfiler profiler = new ServerProfiler(pid, event, extractLibrary(), collapsed.toAbsolutePath());
    profiler.command("start," + event.options + ",threads");
    return profiler;
  }

  /**
   * Stops sampling, writes the collapsed stacks, their flame graph ({@code .svg}) and for CPU
   * samples their summary ({@code .txt}); returns the summary's path, or the flame graph's.
   */
  public Path stop() {
    try {
      Files.createDirectories(collapsed.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    command("stop,file=" + collapsed + ",collapsed");
    String base = collapsed.getFileName().toString().replaceFirst("\\.collapsed$", "");
    Path flameGraph = collapsed.resolveSibling(base + ".svg");
    FlameGraph.write(collapsed, flameGraph);
    if (event != Event.CPU) {
      return flameGraph;
    }
    Path summary = collapsed.resolveSibling(base + ".txt");
    ProfileSummary.write(collapsed, summary);
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
