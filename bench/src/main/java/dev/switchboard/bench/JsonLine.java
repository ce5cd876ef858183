package dev.switchboard.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result: an ordered set of fields written as a single JSON line. Values are numbers,
 * booleans, text, null, nested lines, or lists of those.
 */
public final class JsonLine {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public JsonLine put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public JsonLine put(String name, long value) {
    fields.put(name, value);
    return this;
  }

  /** Rounds to three decimals so lines stay short and diffable. */
  public JsonLine put(String name, double value) {
    fields.put(name, rounded(value));
    return this;
  }

  /** A value rounded to three decimals, null when not finite (JSON has no NaN). */
  public static Double rounded(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : null;
  }

  public JsonLine putAll(JsonLine other) {
    fields.putAll(other.fields);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(256).append('{');
    boolean first = true;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(out, field.getKey());
      out.append(':');
      value(out, field.getValue());
    }
    return out.append('}').toString();
  }

  private static void value(StringBuilder out, Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean || value instanceof JsonLine) {
      out.append(value);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        value(out, list.get(i));
      }
      out.append(']');
    } else {
      quote(out, value.toString());
    }
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
