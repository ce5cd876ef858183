package dev.switchboard.bench.profile;

import java.util.Locale;

/**
 * What a frame of async-profiler's collapsed stacks is, told from its name alone: the thread as
 * the root frame ({@code [name tid=N]}), kernel frames marked {@code _[k]}, Java frames
 * ({@code package/Class.method}, or marked {@code _[j]} compiled, {@code _[i]} interpreted,
 * {@code _[0]} inlined, {@code _[1]} C1-compiled), everything else native (the JVM, libc).
 */
enum FrameKind {
  THREAD("t"),
  KERNEL("k"),
  JAVA("j"),
  NATIVE("n");

  private static final String KERNEL_MARK = "_[k]";

  private final String cssClass;

  FrameKind(String cssClass) {
    this.cssClass = cssClass;
  }

  /** The kind of {@code frame} at {@code depth} (0 for a stack's first frame). */
  static FrameKind of(String frame, int depth) {
    if (depth == 0 && frame.startsWith("[") && frame.endsWith("]")) {
      return THREAD;
    }
    if (isKernel(frame)) {
      return KERNEL;
    }
    if (javaMark(frame) || isQualifiedJavaName(frame)) {
      return JAVA;
    }
    return NATIVE;
  }

  static boolean isKernel(String frame) {
    return frame.endsWith(KERNEL_MARK);
  }

  /** The frame's name without the profiler's {@code _[x]} mark. */
  static String unmarked(String frame) {
    return isKernel(frame) || javaMark(frame) ? frame.substring(0, frame.length() - 4) : frame;
  }

  /** The name to print inside the frame: Java frames without their package. */
  String shortName(String frame) {
    String name = unmarked(frame);
    if (this != JAVA) {
      return name;
    }
    // Packages are the leading lower-case segments; a hidden class's address may follow a slash too.
    int start = 0;
    for (int slash = name.indexOf('/'); slash > 0 && Character.isLowerCase(name.charAt(start)); slash = name.indexOf('/', start)) {
      start = slash + 1;
    }
    return name.substring(start);
  }

  /** The frame's class in the graph's style sheet, a shade picked by {@code shade}. */
  String cssClass(int shade) {
    return cssClass + shade;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static boolean javaMark(String frame) {
    return frame.length() > 4 && frame.startsWith("_[", frame.length() - 4) && frame.endsWith("]")
        && "ji01".indexOf(frame.charAt(frame.length() - 2)) >= 0;
  }

  /** {@code io/netty/channel/nio/NioEventLoop.run}: slashes between packages, no path, no C++ scope. */
  private static boolean isQualifiedJavaName(String frame) {
    int slash = frame.indexOf('/');
    return slash > 0 && frame.charAt(0) != '[' && !frame.contains("::") && frame.indexOf('.', slash) > 0;
  }
}
