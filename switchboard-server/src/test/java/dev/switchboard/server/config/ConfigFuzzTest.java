package dev.switchboard.server.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * The configuration as flags, environment and files give it: any value for any setting either
 * makes a configuration or is refused with a {@link ConfigException} naming the setting, never
 * another exception (which would end start-up with a stack trace instead of a clear message).
 * Settings naming a file are left out: reading whatever path the fuzzer invents (a device, a
 * socket) would test the file system, not the parser.
 */
class ConfigFuzzTest {
  private static final List<Setting> VALUES = Settings.ALL.stream()
      .filter(setting -> !setting.label().equals("FILE"))
      .toList();

  @FuzzTest(maxDuration = "2m")
  void anyValuesMakeAConfigOrAClearRefusal(FuzzedDataProvider data) {
    ConfigValues values = new ConfigValues();
    int changes = data.consumeInt(1, 6);
    for (int i = 0; i < changes; i++) {
      Setting setting = VALUES.get(data.consumeInt(0, VALUES.size() - 1));
      values.set(setting.key(), data.consumeString(120).trim(), "fuzz");
    }
    try {
      ServerConfig.from(values);
    } catch (ConfigException expected) {
      // start-up ends with this message
    }
  }
}
