package dev.switchboard.server.config;

import dev.switchboard.webrtc.SfuGrantRule;
import dev.switchboard.webrtc.SfuOptions;
import dev.switchboard.webrtc.TurnOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The TURN and SFU settings, as the options of {@code switchboard-webrtc}. */
final class CallCredentialsConfig {
  private CallCredentialsConfig() {}

  static TurnOptions turn(ConfigValues values) {
    List<String> secrets = ServerConfig.list(values, Settings.TURN_SECRET);
    List<String> urls = ServerConfig.list(values, Settings.TURN_URLS);
    try {
      return new TurnOptions(secrets, urls, ServerConfig.duration(values, Settings.TURN_TTL), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(values, secrets.isEmpty() ? Settings.TURN_SECRET : Settings.TURN_URLS, e.getMessage());
    }
  }

  static SfuOptions sfu(ConfigValues values) {
    String key = values.get(Settings.SFU_API_KEY).trim();
    String secret = values.get(Settings.SFU_API_SECRET).trim();
    String grantsFile = values.get(Settings.SFU_GRANTS).trim();
    if (key.isEmpty() != secret.isEmpty()) {
      throw ServerConfig.invalid(values, key.isEmpty() ? Settings.SFU_API_KEY : Settings.SFU_API_SECRET,
          Settings.SFU_API_KEY.key() + " and " + Settings.SFU_API_SECRET.key() + " go together");
    }
    if (key.isEmpty() && !grantsFile.isEmpty()) {
      throw ServerConfig.invalid(values, Settings.SFU_GRANTS, "SFU grants need " + Settings.SFU_API_KEY.key() + " and " + Settings.SFU_API_SECRET.key());
    }
    List<SfuGrantRule> grants = grantsFile.isEmpty() ? List.of() : grants(values, grantsFile);
    try {
      return new SfuOptions(key, secret, ServerConfig.duration(values, Settings.SFU_TOKEN_TTL), grants, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(values, Settings.SFU_API_SECRET, e.getMessage());
    }
  }

  private static List<SfuGrantRule> grants(ConfigValues values, String file) {
    try {
      return SfuGrantRule.parse(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw ServerConfig.invalid(values, Settings.SFU_GRANTS, "cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(values, Settings.SFU_GRANTS, e.getMessage());
    }
  }
}
