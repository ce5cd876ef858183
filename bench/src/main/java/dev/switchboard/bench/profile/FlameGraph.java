package dev.switchboard.bench.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws collapsed stacks as a flame graph in a standalone SVG: callers below, callees above, each
 * frame as wide as its samples; colour by kind (Java green, kernel orange, native yellow, threads
 * blue, merged small frames grey); hovering a frame shows its name, samples and share. Also
 * {@code FlameGraph IN.collapsed OUT.svg} from the command line.
 */
public final class FlameGraph {
  private static final double WIDTH = 1200;
  private static final double MARGIN = 10;
  private static final int FRAME_HEIGHT = 16;
  private static final int TOP = 52;
  private static final int BOTTOM = 10;
  /** Monospace at 12 px: 0.6 em per character. */
  private static final double CHAR_WIDTH = 7.2;
  private static final int SHADES = 4;

  private static final String STYLE = """
      text{font:12px monospace;fill:#000}.h{font-size:16px}.s{fill:#555}
      .a{fill:#d0d0d0}.m{fill:#c0c0c0}
      .t0{fill:#7fa8e0}.t1{fill:#8cb2e6}.t2{fill:#99bcea}.t3{fill:#a6c5ee}
      .k0{fill:#e89a4f}.k1{fill:#eca55e}.k2{fill:#efb06e}.k3{fill:#f2ba7f}
      .j0{fill:#5bc85b}.j1{fill:#6ccf6c}.j2{fill:#7dd67d}.j3{fill:#8edc8e}
      .n0{fill:#dcc34a}.n1{fill:#e1ca5c}.n2{fill:#e5d16e}.n3{fill:#e9d880}""";

  private FlameGraph() {}

  /** {@code FlameGraph IN.collapsed OUT.svg}: renders one collapsed file. */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: FlameGraph IN.collapsed OUT.svg");
      System.exit(2);
    }
    try {
      write(Path.of(args[0]), Path.of(args[1]));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      System.err.println("FlameGraph: " + (e instanceof UncheckedIOException io ? io.getCause() : e.getMessage()));
      System.exit(1);
    }
  }

  /** Writes the flame graph of {@code collapsed} to {@code svg}. */
  static void write(Path collapsed, Path svg) {
    try {
      Files.writeString(svg, render(collapsed.getFileName().toString(), StackTree.of(collapsed)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SVG document of {@code tree}, titled after {@code source}. */
  static String render(String source, StackTree tree) {
    FlameLayout.Layout layout = FlameLayout.of(tree);
    int levels = layout.levels();
    int height = TOP + levels * FRAME_HEIGHT + BOTTOM;
    double scale = layout.total() == 0 ? 0 : (WIDTH - 2 * MARGIN) / layout.total();
    StringBuilder svg = new StringBuilder(64 * 1024);
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(WIDTH))
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(num(WIDTH)).append(' ').append(height)
        .append("\">\n<style>\n").append(STYLE).append("\n</style>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n")
        .append("<text class=\"h\" x=\"").append(num(WIDTH / 2)).append("\" y=\"22\" text-anchor=\"middle\">")
        .append(escape("CPU flame graph of " + source + ": " + String.format(Locale.ROOT, "%,d", layout.total())
            + " samples"))
        .append("</text>\n<text class=\"s\" x=\"").append(num(WIDTH / 2)).append("\" y=\"42\" text-anchor=\"middle\">")
        .append(escape(String.format(Locale.ROOT, "Width is samples. Green Java, orange kernel, yellow native, "
            + "blue threads; grey: frames under %d samples (%.2f%%) merged. Hover a frame for details.",
            layout.minSamples(), percent(layout.minSamples(), layout.total()))))
        .append("</text>\n");
    for (FlameLayout.Box box : layout.boxes()) {
      frame(svg, box, layout.total(), scale, TOP + (levels - 1 - box.level()) * FRAME_HEIGHT);
    }
    return svg.append("</svg>\n").toString();
  }

  private static void frame(StringBuilder svg, FlameLayout.Box box, long total, double scale, int y) {
    String cssClass;
    String label;
    String tooltip;
    if (box.isMerged()) {
      cssClass = "m";
      label = box.merged() + " small frames";
      tooltip = label;
    } else if (box.level() == 0) {
      cssClass = "a";
      label = "all";
      tooltip = "all";
    } else {
      FrameKind kind = FrameKind.of(box.frame(), box.level() - 1);
      cssClass = kind.cssClass(Math.floorMod(box.frame().hashCode(), SHADES));
      label = kind.shortName(box.frame());
      tooltip = FrameKind.unmarked(box.frame()) + " (" + kind.label() + ")";
    }
    double x = MARGIN + box.start() * scale;
    double width = box.samples() * scale;
    svg.append("<g><title>").append(escape(tooltip)).append('\n')
        .append(String.format(Locale.ROOT, "%,d samples, %.2f%%", box.samples(), percent(box.samples(), total)))
        .append("</title><rect x=\"").append(num(x)).append("\" y=\"").append(y).append("\" width=\"").append(num(width))
        .append("\" height=\"").append(FRAME_HEIGHT - 1).append("\" class=\"").append(cssClass).append("\"/>");
    int fits = (int) ((width - 6) / CHAR_WIDTH);
    if (fits >= 4) {
      String text = label.length() <= fits ? label : label.substring(0, fits - 2) + "..";
      svg.append("<text x=\"").append(num(x + 3)).append("\" y=\"").append(y + 11).append("\">")
          .append(escape(text)).append("</text>");
    }
    svg.append("</g>\n");
  }

  /** Text safe in XML content and attributes; characters XML 1.0 cannot carry become '?'. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF ? '?' : c);
      }
    }
    return out.toString();
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static double percent(long part, long of) {
    return of == 0 ? 0 : 100.0 * part / of;
  }
}
