package dev.switchboard.server;

import dev.switchboard.socketio.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in requests whose handler failed, by throwing or by completing exceptionally: the client
 * gets {@code {ok:false, error:{code:"INTERNAL"}}} instead of waiting for an answer that never
 * comes, and the failure is logged once, with the socket id.
 */
final class RequestFailures {
  private static final Logger log = LoggerFactory.getLogger(RequestFailures.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private RequestFailures() {}

  /** Runs {@code handler} for {@code event}; completes (never exceptionally) when its effects are applied. */
  static CompletableFuture<?> guarded(Event event, Supplier<CompletableFuture<?>> handler) {
    CompletableFuture<?> done;
    try {
      done = handler.get();
    } catch (RuntimeException e) {
      answer(event, e);
      return DONE;
    }
    return done.handle((result, failure) -> {
      if (failure != null) {
        answer(event, failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
      }
      return null;
    });
  }

  /** Answers {@code event} with INTERNAL and logs {@code failure} with the socket id. */
  static void answer(Event event, Throwable failure) {
    log.warn("socket {}: \"{}\" failed", event.socket().id(), event.name(), failure);
    event.ack(Answers.error("INTERNAL", "the server failed to handle \"" + event.name() + "\"; try again"));
  }
}
