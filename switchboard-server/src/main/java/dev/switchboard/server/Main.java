package dev.switchboard.server;

import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.Setting;
import dev.switchboard.server.config.Settings;
import dev.switchboard.server.logging.LogFormats;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code switchboard [options]}: runs the standalone server. Every option can also come from a
 * config file ({@code --config}) or a {@code SWITCHBOARD_*} environment variable; flags win over
 * the environment, which wins over the file.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    CommandLine cli = new CommandLine(spec());
    StartupErrors errors = StartupErrors.of(args, System.getenv(), cli.getErr());
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      errors.report(e.getMessage(), "Run 'switchboard --help' for the options.");
      System.exit(2);
      return;
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.from(values(parsed));
    } catch (ConfigException e) {
      errors.report(e.getMessage());
      System.exit(2);
      return;
    }
    if (config.observability().logFormat() != errors.format()) {
      LogFormats.apply(config.observability().logFormat());
    }
    LoggerFactory.getLogger(Main.class).info("Switchboard {} starting (Java {}, pid {})",
        SwitchboardApp.VERSION, Runtime.version(), ProcessHandle.current().pid());
    SwitchboardApp app;
    try {
      app = SwitchboardApp.start(config);
    } catch (IllegalStateException e) {
      errors.report(e.getMessage());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      errors.report("could not start: " + e, e);
      System.exit(1);
      return;
    }
    long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    String banner = app.banner(Math.max(sinceJvmStart, (System.nanoTime() - started) / 1_000_000));
    if (config.observability().logFormat() == ServerConfig.LogFormat.JSON) {
      // Every line the server writes is then JSON: the banner is a log event too.
      LoggerFactory.getLogger(Main.class).info(banner);
    } else {
      System.out.println(banner);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      GracefulStop.run(app);
      stopped.countDown();
    }, "switchboard-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Merges defaults, the config file, the environment and the flags, in that order. */
  static ConfigValues values(ParseResult parsed) {
    ConfigValues values = new ConfigValues();
    if (parsed.hasMatchedOption("--config")) {
      values.file(Path.of(parsed.<String>matchedOptionValue("--config", null)));
    } else if (System.getenv("SWITCHBOARD_CONFIG") != null) {
      values.file(Path.of(System.getenv("SWITCHBOARD_CONFIG")));
    }
    values.environment(System.getenv());
    for (Setting setting : Settings.ALL) {
      if (parsed.hasMatchedOption(setting.flag())) {
        String value = Settings.REPEATABLE.contains(setting)
            ? String.join(",", parsed.<List<String>>matchedOptionValue(setting.flag(), List.of()))
            : parsed.matchedOptionValue(setting.flag(), "");
        values.set(setting.key(), value, "flag " + setting.flag());
      }
    }
    return values;
  }

  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("switchboard");
    spec.usageMessage()
        .description("Real-time messaging server: Socket.IO v5 / Engine.IO v4.",
            "Each option can also be set as SWITCHBOARD_<NAME> in the environment (e.g. SWITCHBOARD_PING_INTERVAL)",
            "or as <name>=<value> in the --config properties file. Flags win over the environment, which wins over the file.")
        .sortOptions(false);
    spec.addOption(OptionSpec.builder("-c", "--config").paramLabel("FILE").type(String.class)
        .description("Properties file with settings (keys as the option names, e.g. ping-interval=10s).").build());
    for (Setting setting : Settings.ALL) {
      String defaultText = setting.defaultValue().isEmpty() ? "none" : setting.defaultValue();
      OptionSpec.Builder option = OptionSpec.builder(setting.flag()).paramLabel(setting.label())
          .description(setting.description() + " Default: " + defaultText + ".");
      if (Settings.REPEATABLE.contains(setting)) {
        option.type(List.class).auxiliaryTypes(String.class);
      } else {
        option.type(String.class);
      }
      spec.addOption(option.build());
    }
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print the version and exit.").build());
    spec.version("Switchboard " + SwitchboardApp.VERSION);
    return spec;
  }
}
