package dev.switchboard.server;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import java.util.Map;

/** The standalone server started for a test: on the loopback, on a free port. */
public final class TestApps {
  private TestApps() {}

  /** Loopback and a free port, then {@code settings} (config keys to values). */
  public static ConfigValues values(Map<String, String> settings) {
    ConfigValues values = new ConfigValues().set("host", "127.0.0.1", "test").set("port", "0", "test");
    settings.forEach((key, value) -> values.set(key, value, "test"));
    return values;
  }

  /** A server with {@code settings} on the loopback and a free port. */
  public static SwitchboardApp start(Map<String, String> settings) {
    return SwitchboardApp.start(ServerConfig.from(values(settings)));
  }
}
