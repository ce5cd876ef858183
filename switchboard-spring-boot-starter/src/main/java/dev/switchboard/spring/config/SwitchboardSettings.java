package dev.switchboard.spring.config;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps {@link SwitchboardProperties} onto the standalone server's configuration model: each set
 * property becomes the setting of the same kebab-case name, then {@link ServerConfig#from}
 * validates and builds the options as it does for flags, environment variables and config files.
 */
public final class SwitchboardSettings {
  /** Properties of the starter alone, with no standalone setting behind them. */
  public static final Set<String> STARTER_ONLY = Set.of("virtual-threads");
  static final String PREFIX = "switchboard.";

  private SwitchboardSettings() {}

  /** The server configuration {@code properties} describe; {@code ConfigException} naming the property when one is invalid. */
  public static ServerConfig serverConfig(SwitchboardProperties properties) {
    ConfigValues values = new ConfigValues();
    for (RecordComponent component : SwitchboardProperties.class.getRecordComponents()) {
      String key = key(component);
      Object value = read(component, properties);
      if (value != null && !STARTER_ONLY.contains(key)) {
        values.set(key, text(value), "property " + PREFIX + key);
      }
    }
    return ServerConfig.from(values);
  }

  /** Whether handlers run on virtual threads (the default) rather than on the event loops. */
  public static boolean virtualThreads(SwitchboardProperties properties) {
    return properties.virtualThreads() == null || properties.virtualThreads();
  }

  /** The kebab-case setting name of a property: {@code pingInterval} is {@code ping-interval}. */
  static String key(RecordComponent component) {
    return component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** Values in the standalone server's text forms: durations in milliseconds, lists comma-separated. */
  private static String text(Object value) {
    if (value instanceof Duration duration) {
      return duration.toMillis() + "ms";
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return value.toString();
  }

  private static Object read(RecordComponent component, SwitchboardProperties properties) {
    try {
      return component.getAccessor().invoke(properties);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read property " + component.getName(), e);
    }
  }
}
