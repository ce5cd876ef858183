package dev.switchboard.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/** What the report's charts share: a headless PNG canvas, the peers' colours, markers, axis steps. */
final class ChartImage {
  static final Color SWITCHBOARD = new Color(0x1f77b4);
  static final Color NODE = new Color(0xff7f0e);

  /** The marker shapes, one per case family in turn. */
  enum Marker { CIRCLE, SQUARE, TRIANGLE, DIAMOND, TRIANGLE_DOWN, RING, BOX, CROSS }

  private ChartImage() {}

  /** Draws a white {@code width} × {@code height} image with {@code painter} and writes it as PNG. */
  static void write(Path file, int width, int height, Consumer<Graphics2D> painter) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      painter.accept(g);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  static Color color(String peer) {
    return peer.equals(ResultsTable.SWITCHBOARD) ? SWITCHBOARD : NODE;
  }

  static String peerName(String peer) {
    return peer.equals(ResultsTable.SWITCHBOARD) ? "Switchboard" : "Node socket.io";
  }

  static Stroke line(boolean dashed) {
    return dashed
        ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
        : new BasicStroke(2f);
  }

  /** Draws {@code marker} centred on (x, y) in the current colour. */
  static void mark(Graphics2D g, Marker marker, int x, int y) {
    int r = 5;
    Stroke saved = g.getStroke();
    g.setStroke(new BasicStroke(2f));
    switch (marker) {
      case CIRCLE -> g.fillOval(x - r, y - r, 2 * r, 2 * r);
      case SQUARE -> g.fillRect(x - r + 1, y - r + 1, 2 * r - 2, 2 * r - 2);
      case TRIANGLE -> g.fillPolygon(new Polygon(new int[] {x - r - 1, x + r + 1, x}, new int[] {y + r, y + r, y - r - 1}, 3));
      case DIAMOND -> g.fillPolygon(new Polygon(new int[] {x - r - 1, x, x + r + 1, x}, new int[] {y, y - r - 1, y, y + r + 1}, 4));
      case TRIANGLE_DOWN -> g.fillPolygon(new Polygon(new int[] {x - r - 1, x + r + 1, x}, new int[] {y - r, y - r, y + r + 1}, 3));
      case RING -> g.drawOval(x - r, y - r, 2 * r, 2 * r);
      case BOX -> g.drawRect(x - r + 1, y - r + 1, 2 * r - 2, 2 * r - 2);
      case CROSS -> {
        g.drawLine(x - r, y - r, x + r, y + r);
        g.drawLine(x - r, y + r, x + r, y - r);
      }
    }
    g.setStroke(saved);
  }

  /** How many equal steps divide {@code max} (a {@link #niceCeiling}) into round ones: 1, 2, 2.5 or 5 times a power of ten. */
  static int divisions(double max) {
    for (int n : new int[] {5, 4, 6, 8, 3}) {
      double step = max / n;
      double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
      for (double round : new double[] {1, 2, 2.5, 5}) {
        if (Math.abs(mantissa - round) < 1e-9) {
          return n;
        }
      }
    }
    return 5;
  }

  /** Rounds up to a round multiple of a power of ten (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times it), so fifths of it read well. */
  static double niceCeiling(double value) {
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }
}
