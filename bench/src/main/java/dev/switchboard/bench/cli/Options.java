package dev.switchboard.bench.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options with typed, defaulted getters. */
public final class Options {
  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  /** Parses {@code --name value} pairs; a {@code --flag} followed by another option or nothing is "true". */
  public static Options parse(String[] args, int from) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got '" + arg + "'");
      }
      String name = arg.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(name, args[++i]);
      } else {
        values.put(name, "true");
      }
    }
    return new Options(values);
  }

  public static Options of(String... args) {
    return parse(args, 0);
  }

  /** These options with {@code name} set to {@code value}. */
  public Options with(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Options(copy);
  }

  /** These options with {@code name} set to {@code value} unless already given. */
  public Options withDefault(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.putIfAbsent(name, value);
    return new Options(copy);
  }

  public String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public int integer(String name, int fallback) {
    String value = values.get(name);
    return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
  }

  public double number(String name, double fallback) {
    String value = values.get(name);
    return value == null ? fallback : Double.parseDouble(value.replace("_", ""));
  }

  public boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }
}
