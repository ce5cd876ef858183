package dev.switchboard.bench.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads async-profiler's collapsed stacks (thread names as root frames, kernel frames marked
 * {@code _[k]}) and says where the CPU went: per kind of thread, then inside the event loops per
 * system call and per Java frame. Also {@code ProfileSummary FILE.collapsed} from the command line.
 */
public final class ProfileSummary {
  private static final int TOP_FRAMES = 20;

  private long total;
  private final Map<String, Long> threads = new LinkedHashMap<>();
  private final Map<String, Long> loopTime = new LinkedHashMap<>();
  private final Map<String, Long> javaSelf = new LinkedHashMap<>();
  private long loopbackReceive;

  private ProfileSummary() {}

  public static void main(String[] args) {
    Path collapsed = Path.of(args[0]);
    System.out.print(of(collapsed).render(collapsed));
  }

  static void write(Path collapsed, Path summary) {
    try {
      Files.writeString(summary, of(collapsed).render(collapsed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProfileSummary of(Path collapsed) {
    ProfileSummary summary = new ProfileSummary();
    CollapsedStacks.read(collapsed, summary::add);
    return summary;
  }

  private void add(String[] frames, long samples) {
    total += samples;
    String thread = threadKind(frames[0]);
    threads.merge(thread, samples, Long::sum);
    if (!thread.equals("event loops")) {
      return;
    }
    int kernel = firstKernelFrame(frames);
    if (kernel < 0) {
      javaSelf.merge(frames[frames.length - 1].replace('/', '.'), samples, Long::sum);
      loopTime.merge("Java and native code (not the kernel)", samples, Long::sum);
      return;
    }
    loopTime.merge("kernel: " + syscall(kernel == 0 ? "" : frames[kernel - 1], frames, kernel), samples, Long::sum);
    for (int i = kernel; i < frames.length; i++) {
      if (frames[i].startsWith("tcp_v4_rcv")) {
        loopbackReceive += samples;
        break;
      }
    }
  }

  private static String threadKind(String root) {
    if (root.contains("EventLoop")) {
      return "event loops";
    }
    if (root.contains("Compiler")) {
      return "JIT compilers";
    }
    if (root.contains("GC Thread") || root.contains("VM Thread")) {
      return "GC and safepoints";
    }
    return "other threads";
  }

  private static int firstKernelFrame(String[] frames) {
    for (int i = 0; i < frames.length; i++) {
      if (FrameKind.isKernel(frames[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The system call a kernel stack serves, named from the user-space frame that entered it, or
   * from the kernel's own entry frames when that is glibc's generic {@code syscall}.
   */
  private static String syscall(String caller, String[] frames, int kernel) {
    for (int i = kernel; i < Math.min(frames.length, kernel + 4); i++) {
      if (frames[i].contains("io_uring_enter")) {
        return "io_uring_enter (the loop's sends and receives, submitted together)";
      }
    }
    String name = caller.toLowerCase(Locale.ROOT);
    if (name.contains("writev")) {
      return "writev (several buffers)";
    }
    if (name.contains("send")) {
      return "send (one buffer)";
    }
    if (name.contains("epoll")) {
      return "epoll_wait (waiting, waking up)";
    }
    if (name.contains("recv") || name.contains("read")) {
      return "recv/read";
    }
    if (name.contains("eventfd")) {
      return "eventfd (waking another loop)";
    }
    return "other (interrupts, page faults, other calls)";
  }

  String render(Path collapsed) {
    StringBuilder out = new StringBuilder();
    out.append("Profile ").append(collapsed.getFileName()).append(": ").append(total)
        .append(" samples of server CPU (async-profiler, cpu event, kernel stacks included)\n\n");
    out.append("By thread, share of all samples:\n");
    lines(out, threads, total);
    out.append("\nInside the event loops, share of all samples:\n");
    lines(out, loopTime, total);
    out.append(String.format(Locale.ROOT, "  of which the receiving side's TCP work on loopback (tcp_v4_rcv, run in the "
        + "sender's softirq): %.1f%%%n", percent(loopbackReceive, total)));
    out.append("\nTop Java and native frames by own time in the event loops, share of all samples:\n");
    javaSelf.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP_FRAMES)
        .forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", percent(e.getValue(), total), e.getKey())));
    return out.toString();
  }

  private static void lines(StringBuilder out, Map<String, Long> counts, long of) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", percent(e.getValue(), of), e.getKey())));
  }

  private static double percent(long part, long of) {
    return of == 0 ? 0 : 100.0 * part / of;
  }
}
