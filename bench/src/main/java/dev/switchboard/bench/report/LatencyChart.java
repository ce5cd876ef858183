package dev.switchboard.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The chart: p99 latency (log scale) against delivered rate, one line per peer and scenario
 * (fan-out deliveries/s for the one-node fixed-rate cases, echo acks/s). Drawn with java.awt, headless.
 */
final class LatencyChart {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 540;
  private static final int LEFT = 80;
  private static final int RIGHT = 200;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private record Point(double x, double y) {}

  private record Series(String label, Color color, boolean dashed, List<Point> points) {}

  private final List<Series> series = new ArrayList<>();

  LatencyChart(ResultSet results) {
    add(results, "switchboard", "fanout", "deliveredPerSec", new Color(0x1f77b4), false);
    add(results, "node", "fanout", "deliveredPerSec", new Color(0xff7f0e), false);
    add(results, "switchboard", "echo", "acksPerSec", new Color(0x1f77b4), true);
    add(results, "node", "echo", "acksPerSec", new Color(0xff7f0e), true);
  }

  private void add(ResultSet results, String peer, String scenario, String rateField, Color color, boolean dashed) {
    List<Point> points = results.of(scenario).stream()
        .filter(r -> !scenario.equals("fanout") || (r.plain() && r.serverThreads() == 0))
        .filter(r -> r.peer().equals(peer) && r.has(rateField) && r.has("latencyP99Us") && r.number("latencyP99Us") > 0)
        .map(r -> new Point(r.number(rateField), r.number("latencyP99Us") / 1000.0))
        .sorted(Comparator.comparingDouble(Point::x))
        .toList();
    if (!points.isEmpty()) {
      String name = peer.equals("switchboard") ? "Switchboard" : "Node socket.io";
      series.add(new Series(name + " " + scenario, color, dashed, points));
    }
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  void write(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      draw(g);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
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
    maxX = niceCeiling(maxX * 1.05);
    int lowDecade = (int) Math.floor(Math.log10(Math.max(minY, 1e-3)));
    int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(Math.max(maxY, 1e-3))));
    Axes axes = new Axes(maxX, lowDecade, highDecade);

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString("p99 latency vs delivered rate (loopback)", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    axes.draw(g);
    int legendY = TOP + 10;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(stroke(s.dashed()));
      Point previous = null;
      for (Point p : s.points()) {
        int x = axes.x(p.x());
        int y = axes.y(p.y());
        if (previous != null) {
          g.drawLine(axes.x(previous.x()), axes.y(previous.y()), x, y);
        }
        if (s.dashed()) {
          g.fillRect(x - 4, y - 4, 8, 8);
        } else {
          g.fillOval(x - 4, y - 4, 8, 8);
        }
        previous = p;
      }
      int lx = WIDTH - RIGHT + 15;
      g.drawLine(lx, legendY, lx + 25, legendY);
      g.setColor(Color.BLACK);
      g.drawString(s.label(), lx + 32, legendY + 4);
      legendY += 20;
    }
  }

  private static Stroke stroke(boolean dashed) {
    return dashed
        ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
        : new BasicStroke(2f);
  }

  /** Rounds up to 1, 2 or 5 times a power of ten. */
  private static double niceCeiling(double value) {
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
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
      for (int i = 0; i <= 5; i++) {
        double value = maxX * i / 5;
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
      g.drawString("delivered messages/s (fan-out) or acks/s (echo)", LEFT + 120, HEIGHT - 18);
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
