package dev.switchboard.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Raw setting values merged from their sources, later ones winning: defaults, then the config
 * file, then {@code SWITCHBOARD_*} environment variables, then command-line flags.
 */
public final class ConfigValues {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();

  public ConfigValues() {
    for (Setting setting : Settings.ALL) {
      values.put(setting.key(), setting.defaultValue());
      origins.put(setting.key(), "default");
    }
  }

  /** Reads a properties file ({@code key=value}, keys as the flags without dashes). */
  public ConfigValues file(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    for (String key : properties.stringPropertyNames()) {
      set(key, properties.getProperty(key).trim(), "config file " + file);
    }
    return this;
  }

  /** Takes {@code SWITCHBOARD_*} variables from {@code environment}. */
  public ConfigValues environment(Map<String, String> environment) {
    for (Setting setting : Settings.ALL) {
      String value = environment.get(setting.environmentVariable());
      if (value != null) {
        set(setting.key(), value.trim(), "environment variable " + setting.environmentVariable());
      }
    }
    return this;
  }

  public ConfigValues set(String key, String value, String origin) {
    if (Settings.byKey(key).isEmpty()) {
      throw new ConfigException("unknown setting '" + key + "' (from " + origin + "); see --help for the list");
    }
    values.put(key, value);
    origins.put(key, origin);
    return this;
  }

  public String get(Setting setting) {
    return values.get(setting.key());
  }

  /** Where the value of {@code setting} came from, for error messages. */
  public String origin(Setting setting) {
    return origins.get(setting.key());
  }
}
