package dev.switchboard.server.config;

import java.util.Locale;

/**
 * One configuration key of the standalone server. The same key is a flag ({@code --ping-interval}),
 * an environment variable ({@code SWITCHBOARD_PING_INTERVAL}) and a config file entry
 * ({@code ping-interval}).
 *
 * @param key the kebab-case name
 * @param label what the value looks like in help text
 * @param defaultValue the default, as text (empty when there is none)
 * @param description one line for {@code --help}
 */
public record Setting(String key, String label, String defaultValue, String description) {

  public String flag() {
    return "--" + key;
  }

  public String environmentVariable() {
    return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
