package dev.switchboard.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart: p99 latency (log scale) against delivered rate (fan-out deliveries/s, echo acks/s),
 * one line per peer and {@link CaseFamily}: the colour names the peer, the marker and the dash the
 * family, so cases that differ in more than their load are never joined. Drawn with java.awt, headless.
 */
final class LatencyChart {
  private static final int WIDTH = 1080;
  private static final int HEIGHT = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 345;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  /** Fan-out before echo; plain echo, publish, kept publish; closed loop first; then by size and options. */
  private static final Comparator<Result> ORDER = Comparator
      .comparingInt((Result r) -> r.scenario().equals("fanout") ? 0 : 1)
      .thenComparingInt(r -> !r.publishRequest() ? 0 : r.flag("kept") ? 2 : 1)
      .thenComparingInt(r -> "open".equals(r.text("mode")) ? 1 : 0)
      .thenComparingDouble(r -> r.scenario().equals("fanout") ? r.number("subscribers") : r.number("clients"))
      .thenComparingLong(Result::writeDelayMs)
      .thenComparingLong(Result::serverThreads)
      .thenComparing(Result::parser);

  private record Point(double x, double y) {}

  private record Series(String peer, CaseFamily family, List<Point> points) {
    String name() {
      return ChartImage.peerName(peer) + ": " + family.label();
    }
  }

  private final List<CaseFamily> families;
  private final List<Series> series = new ArrayList<>();

  LatencyChart(ResultSet results) {
    List<Result> charted = Stream.concat(results.of("fanout").stream(), results.of("echo").stream())
        .filter(r -> CaseFamily.of(r).isPresent() && r.has(rateField(r)) && r.number("latencyP99Us") > 0)
        .sorted(ORDER)
        .toList();
    Map<CaseFamily, List<Result>> byFamily = new LinkedHashMap<>();
    for (Result r : charted) {
      byFamily.computeIfAbsent(CaseFamily.of(r).orElseThrow(), f -> new ArrayList<>()).add(r);
    }
    families = List.copyOf(byFamily.keySet());
    for (String peer : List.of(ResultsTable.SWITCHBOARD, ResultsTable.NODE)) {
      byFamily.forEach((family, cases) -> {
        List<Point> points = cases.stream()
            .filter(r -> r.peer().equals(peer))
            .sorted(Comparator.comparingDouble(CaseFamily::load))
            .map(r -> new Point(r.number(rateField(r)), r.number("latencyP99Us") / 1000.0))
            .toList();
        if (!points.isEmpty()) {
          series.add(new Series(peer, family, points));
        }
      });
    }
  }

  private static String rateField(Result r) {
    return r.scenario().equals("fanout") ? "deliveredPerSec" : "acksPerSec";
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  /** Each line's legend entry ("peer: family") with its number of points, in drawing order. */
  Map<String, Integer> lines() {
    Map<String, Integer> lines = new LinkedHashMap<>();
    series.forEach(s -> lines.put(s.name(), s.points().size()));
    return lines;
  }

  void write(Path file) throws IOException {
    ChartImage.write(file, WIDTH, HEIGHT, this::draw);
  }

  private ChartImage.Marker marker(CaseFamily family) {
    ChartImage.Marker[] markers = ChartImage.Marker.values();
    return markers[families.indexOf(family) % markers.length];
  }

  private static boolean dashed(CaseFamily family) {
    return family.scenario().equals("echo");
  }

  private void draw(Graphics2D g) {
    double maxX = 1;
    double minY = Double.MAX_VALUE;
    double maxY = 0;
    for (Series s : series) {
      for (Point p : s.points()) {
        maxX = Math.max(maxX, p.x());
        minY = Math.min(minY, p.y());
        maxY = Math.max(maxY, p.y());
      }
    }
    maxX = ChartImage.niceCeiling(maxX * 1.05);
    int lowDecade = (int) Math.floor(Math.log10(Math.max(minY, 1e-3)));
    int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(Math.max(maxY, 1e-3))));
    Axes axes = new Axes(maxX, lowDecade, highDecade);

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString("p99 latency vs delivered rate (loopback)", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    axes.draw(g);
    for (Series s : series) {
      g.setColor(ChartImage.color(s.peer()));
      g.setStroke(ChartImage.line(dashed(s.family())));
      Point previous = null;
      for (Point p : s.points()) {
        if (previous != null) {
          g.drawLine(axes.x(previous.x()), axes.y(previous.y()), axes.x(p.x()), axes.y(p.y()));
        }
        previous = p;
      }
      for (Point p : s.points()) {
        ChartImage.mark(g, marker(s.family()), axes.x(p.x()), axes.y(p.y()));
      }
    }
    legend(g);
  }

  /** Right of the plot: each peer's name in its colour, then its families with their line and marker. */
  private void legend(Graphics2D g) {
    int x = WIDTH - RIGHT + 20;
    int y = TOP + 4;
    String peer = "";
    for (Series s : series) {
      if (!s.peer().equals(peer)) {
        peer = s.peer();
        y += peer.equals(series.get(0).peer()) ? 0 : 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(ChartImage.color(peer));
        g.drawString(ChartImage.peerName(peer), x, y + 4);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        y += 20;
      }
      g.setColor(ChartImage.color(s.peer()));
      g.setStroke(ChartImage.line(dashed(s.family())));
      g.drawLine(x, y, x + 34, y);
      ChartImage.mark(g, marker(s.family()), x + 17, y);
      g.setColor(Color.BLACK);
      g.drawString(s.family().label(), x + 44, y + 4);
      y += 20;
    }
  }

  /** Linear x from 0, log10 y over whole decades of milliseconds. */
  private record Axes(double maxX, int lowDecade, int highDecade) {
    int x(double value) {
      return LEFT + (int) Math.round(value / maxX * (WIDTH - LEFT - RIGHT));
    }

    int y(double millis) {
      double position = (Math.log10(Math.max(millis, 1e-3)) - lowDecade) / (highDecade - lowDecade);
      return HEIGHT - BOTTOM - (int) Math.round(position * (HEIGHT - TOP - BOTTOM));
    }

    void draw(Graphics2D g) {
      g.setStroke(new BasicStroke(1f));
      for (int decade = lowDecade; decade <= highDecade; decade++) {
        for (int m = 1; m <= (decade == highDecade ? 1 : 9); m++) {
          double value = m * Math.pow(10, decade);
          int y = y(value);
          g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
          g.drawLine(LEFT, y, WIDTH - RIGHT, y);
          if (m == 1 || m == 2 || m == 5) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(value), LEFT - 8 - g.getFontMetrics().stringWidth(label(value)), y + 4);
          }
        }
      }
      int ticks = ChartImage.divisions(maxX);
      for (int i = 0; i <= ticks; i++) {
        double value = maxX * i / ticks;
        int x = x(value);
        g.setColor(new Color(0xeeeeee));
        g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
        g.setColor(Color.DARK_GRAY);
        String text = String.format(Locale.ROOT, "%,.0f", value);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, HEIGHT - BOTTOM + 18);
      }
      g.setColor(Color.BLACK);
      g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
      g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
      String title = "delivered messages/s (fan-out) or acks/s (echo)";
      g.drawString(title, (LEFT + WIDTH - RIGHT - g.getFontMetrics().stringWidth(title)) / 2, HEIGHT - 18);
      Graphics2D rotated = (Graphics2D) g.create();
      rotated.rotate(-Math.PI / 2);
      rotated.drawString("p99 latency, ms (log)", -(HEIGHT + 60) / 2 - 40, 22);
      rotated.dispose();
    }

    private static String label(double millis) {
      return millis >= 1 ? String.format(Locale.ROOT, "%,.0f", millis) : String.format(Locale.ROOT, "%s", (float) millis);
    }
  }
}
