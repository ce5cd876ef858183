package dev.switchboard.server;

import dev.switchboard.socketio.DrainReport;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM runs: the node drains ({@link SwitchboardApp#drain()}), then closes. Should that
 * outlast {@code --drain-timeout}, the process is halted then, so that it always exits in time.
 */
final class GracefulStop {
  private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

  private GracefulStop() {}

  static void run(SwitchboardApp app) {
    Duration timeout = app.config().drain().timeout();
    Thread watchdog = Thread.ofPlatform().daemon().name("switchboard-drain-watchdog").start(() -> {
      try {
        Thread.sleep(timeout);
      } catch (InterruptedException e) {
        return;
      }
      log.error("the graceful stop outlasted drain-timeout ({} ms): halting", timeout.toMillis());
      Runtime.getRuntime().halt(1);
    });
    try {
      DrainReport report = app.drain().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!report.complete()) {
        log.warn("drain incomplete: {} connections or streams cut at the timeout{}", report.cut(),
            report.participantsFinished() ? "" : ", drain participants unfinished");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("drain failed: {}", e.toString());
    }
    app.close();
    watchdog.interrupt();
  }
}
