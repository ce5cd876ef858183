package dev.switchboard.socketio;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Work a drain waits for once every connection is gone, such as flushing queued webhooks: the
 * disconnections the drain caused are known by then. See {@link DrainOptions#participants()}.
 */
@FunctionalInterface
public interface DrainParticipant {
  /**
   * Starts finishing this participant's work, which should take at most {@code timeLeft} (the
   * drain stops waiting then); completes when it is done. Called once, off the event loops.
   */
  CompletionStage<?> finish(Duration timeLeft);
}
