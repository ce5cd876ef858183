package dev.switchboard.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The second chart: server CPU µs per delivery for each one-node fan-out case, a bar per peer,
 * the kernel's one-write floor (and the coalesced one) as reference lines, each bar's multiple of
 * the floor written above it. Drawn with java.awt, headless.
 */
final class CpuPerDeliveryChart {
  private static final int WIDTH = 1060;
  private static final int HEIGHT = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 96;
  private static final int BOTTOM = 100;
  private static final List<String> PEERS = List.of(ResultsTable.SWITCHBOARD, ResultsTable.NODE);
  private static final Stroke FLOOR = new BasicStroke(2f);
  private static final Stroke COALESCED_FLOOR =
      new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);

  private final FloorComparison comparison;

  CpuPerDeliveryChart(FloorComparison comparison) {
    this.comparison = comparison;
  }

  boolean isEmpty() {
    return comparison.cases().isEmpty();
  }

  void write(Path file) throws IOException {
    ChartImage.write(file, WIDTH, HEIGHT, this::draw);
  }

  private void draw(Graphics2D g) {
    double max = comparison.floorUs().orElse(0);
    for (FloorComparison.Case c : comparison.cases()) {
      for (String peer : PEERS) {
        max = Math.max(max, c.of(peer).map(FloorComparison::cpuUs).orElse(0.0));
      }
    }
    double top = ChartImage.niceCeiling(Math.max(max, 1e-3) * 1.2);

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString("Server CPU per delivery against the kernel's floor (loopback)", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    axis(g, top);
    legend(g);

    int groups = comparison.cases().size();
    double groupWidth = (double) (WIDTH - LEFT - RIGHT) / groups;
    int barWidth = (int) Math.min(46, groupWidth * 0.36);
    for (int i = 0; i < groups; i++) {
      FloorComparison.Case c = comparison.cases().get(i);
      int centre = LEFT + (int) Math.round(groupWidth * (i + 0.5));
      for (int p = 0; p < PEERS.size(); p++) {
        int left = p == 0 ? centre - barWidth - 2 : centre + 2;
        bar(g, c.of(PEERS.get(p)), PEERS.get(p), left, barWidth, top);
      }
      g.setColor(Color.DARK_GRAY);
      int y = HEIGHT - BOTTOM + 18;
      for (String line : c.labelLines()) {
        g.drawString(line, centre - g.getFontMetrics().stringWidth(line) / 2, y);
        y += 15;
      }
    }
    floorLines(g, top);
  }

  private void bar(Graphics2D g, Optional<Result> result, String peer, int left, int width, double top) {
    int base = HEIGHT - BOTTOM;
    if (result.isEmpty()) {
      g.setColor(Color.DARK_GRAY);
      g.drawString("–", left + width / 2 - g.getFontMetrics().stringWidth("–") / 2, base - 5);
      return;
    }
    double us = FloorComparison.cpuUs(result.get());
    int y = y(us, top);
    g.setColor(ChartImage.color(peer));
    g.fillRect(left, y, width, base - y);
    int centre = left + width / 2;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    String value = ResultsTable.format(us);
    g.drawString(value, centre - g.getFontMetrics().stringWidth(value) / 2, y - 18);
    comparison.multiple(result.get()).ifPresent(multiple -> {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
      String text = String.format(Locale.ROOT, "%.2f×", multiple);
      g.drawString(text, centre - g.getFontMetrics().stringWidth(text) / 2, y - 5);
    });
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
  }

  private void floorLines(Graphics2D g, double top) {
    comparison.floorUs().ifPresent(us -> {
      g.setColor(Color.BLACK);
      g.setStroke(FLOOR);
      g.drawLine(LEFT, y(us, top), WIDTH - RIGHT, y(us, top));
    });
    comparison.coalesced().ifPresent(r -> {
      int y = y(r.number("senderCpuUsPerMessage"), top);
      g.setColor(Color.DARK_GRAY);
      g.setStroke(COALESCED_FLOOR);
      g.drawLine(LEFT, y, WIDTH - RIGHT, y);
    });
    g.setStroke(new BasicStroke(1f));
  }

  /** Above the plot: the peers' colours, the floors' lines with their values. */
  private void legend(Graphics2D g) {
    int x = LEFT;
    int y = 54;
    for (String peer : PEERS) {
      g.setColor(ChartImage.color(peer));
      g.fillRect(x, y - 10, 14, 14);
      g.setColor(Color.BLACK);
      String name = ChartImage.peerName(peer);
      g.drawString(name, x + 20, y + 2);
      x += 20 + g.getFontMetrics().stringWidth(name) + 24;
    }
    if (comparison.floor().isPresent()) {
      x = floorEntry(g, x, y, FLOOR, Color.BLACK,
          "floor, one write() per message: " + ResultsTable.format(comparison.floorUs().orElseThrow()) + " µs");
    }
    int next = x;
    comparison.coalesced().ifPresent(r -> floorEntry(g, next, y, COALESCED_FLOOR, Color.DARK_GRAY,
        "floor, " + r.integer("framesPerWrite") + " messages per write(): "
            + ResultsTable.format(r.number("senderCpuUsPerMessage")) + " µs"));
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString("Above each bar: server CPU µs per delivery and, in bold, its multiple of the one-write floor. "
        + "–: no such run (the option is Switchboard's).", LEFT, 76);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
  }

  private static int floorEntry(Graphics2D g, int x, int y, Stroke stroke, Color color, String text) {
    g.setColor(color);
    g.setStroke(stroke);
    g.drawLine(x, y - 3, x + 28, y - 3);
    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.BLACK);
    g.drawString(text, x + 34, y + 2);
    return x + 34 + g.getFontMetrics().stringWidth(text) + 24;
  }

  private void axis(Graphics2D g, double top) {
    g.setStroke(new BasicStroke(1f));
    int ticks = ChartImage.divisions(top);
    for (int i = 0; i <= ticks; i++) {
      double value = top * i / ticks;
      int y = y(value, top);
      g.setColor(new Color(0xe4e4e4));
      g.drawLine(LEFT, y, WIDTH - RIGHT, y);
      g.setColor(Color.DARK_GRAY);
      String text = ResultsTable.format(value);
      g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), y + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
    g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
    String title = "one-node fan-out cases: subscribers × publish rate";
    g.drawString(title, (LEFT + WIDTH - RIGHT - g.getFontMetrics().stringWidth(title)) / 2, HEIGHT - 12);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    String axis = "server CPU µs per delivery";
    rotated.drawString(axis, -(TOP + HEIGHT - BOTTOM) / 2 - rotated.getFontMetrics().stringWidth(axis) / 2, 22);
    rotated.dispose();
  }

  private static int y(double us, double top) {
    return HEIGHT - BOTTOM - (int) Math.round(us / top * (HEIGHT - TOP - BOTTOM));
  }
}
