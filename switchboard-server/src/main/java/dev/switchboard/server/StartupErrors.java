package dev.switchboard.server;

import dev.switchboard.server.config.ServerConfig.LogFormat;
import dev.switchboard.server.config.Setting;
import dev.switchboard.server.config.Settings;
import dev.switchboard.server.logging.LogFormats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * How the server reports what stops it before it serves (an unknown option, a bad value, a port in
 * use): a line on standard error, or with {@code --log-format json} a JSON log line like every
 * other. The format is read leniently from the arguments, the environment and the config file
 * before the options are checked, so that their own errors come out in it too.
 */
final class StartupErrors {
  private final LogFormat format;
  private final PrintWriter err;

  private StartupErrors(LogFormat format, PrintWriter err) {
    this.format = format;
    this.err = err;
  }

  /** Reads the log format {@code args}, {@code environment} and the config file ask for, and writes in it from now on. */
  static StartupErrors of(String[] args, Map<String, String> environment, PrintWriter err) {
    LogFormat format = requested(args, environment);
    LogFormats.apply(format);
    return new StartupErrors(format, err);
  }

  LogFormat format() {
    return format;
  }

  /** Reports {@code message}, with {@code hint} after it (a line of its own in text). */
  void report(String message, String hint) {
    if (format == LogFormat.JSON) {
      LoggerFactory.getLogger(Main.class).error("{} ({})", message, hint);
    } else {
      err.println("switchboard: " + message);
      err.println(hint);
      err.flush();
    }
  }

  void report(String message) {
    if (format == LogFormat.JSON) {
      LoggerFactory.getLogger(Main.class).error(message);
    } else {
      err.println("switchboard: " + message);
      err.flush();
    }
  }

  /** Reports a failure nobody foresaw, with its stack trace. */
  void report(String message, Throwable error) {
    if (format == LogFormat.JSON) {
      LoggerFactory.getLogger(Main.class).error(message, error);
    } else {
      err.println("switchboard: " + message);
      error.printStackTrace(err);
      err.flush();
    }
  }

  /** {@code --log-format} as the flags, the environment or the config file give it, in that order; text when unreadable. */
  static LogFormat requested(String[] args, Map<String, String> environment) {
    Setting setting = Settings.LOG_FORMAT;
    String value = flag(args, setting.flag());
    if (value == null) {
      value = environment.get(setting.environmentVariable());
    }
    if (value == null) {
      String file = flag(args, "--config", "-c");
      value = fileValue(file != null ? file : environment.get("SWITCHBOARD_CONFIG"), setting.key());
    }
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals("json") ? LogFormat.JSON : LogFormat.TEXT;
  }

  /** The value of {@code key} in the properties file {@code file}; null when absent or unreadable (the options' check reports that). */
  private static String fileValue(String file, String key) {
    if (file == null) {
      return null;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file))) {
      properties.load(reader);
      return properties.getProperty(key);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The last value of an option written {@code --name value} or {@code --name=value}; null when absent. */
  private static String flag(String[] args, String... names) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      for (String name : names) {
        if (args[i].equals(name) && i + 1 < args.length) {
          value = args[i + 1];
        } else if (args[i].startsWith(name + "=")) {
          value = args[i].substring(name.length() + 1);
        }
      }
    }
    return value;
  }
}
