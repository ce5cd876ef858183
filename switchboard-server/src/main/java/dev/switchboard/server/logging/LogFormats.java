package dev.switchboard.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.switchboard.server.config.ServerConfig.LogFormat;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Switches the server's log lines to the format it was configured with. */
public final class LogFormats {
  private LogFormats() {}

  /**
   * Writes every log line from now on in {@code format}: the text pattern of {@code logback.xml},
   * or {@link JsonLogEncoder}'s JSON. Does nothing when logback is not the logging backend.
   */
  public static void apply(LogFormat format) {
    if (format != LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }
}
