package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.ArgumentException;
import dev.switchboard.socketio.DisconnectListener;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.EventListener;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls event listeners on their socket's loop and reports what goes wrong there: a listener that
 * throws is logged, and its event's pending acknowledgement is answered with an error the client
 * can read ({@code {ok:false, error:{code, message}}}); a listener that holds the loop longer than
 * the threshold is logged with its duration, once per event name, so blocking code shows up in
 * development. Shared by the sockets of one server; thread-safe.
 */
final class ListenerCalls {
  private static final Logger log = LoggerFactory.getLogger(ListenerCalls.class);
  /** Most event names reported as slow; clients name events, so the set of names is bounded. */
  static final int MAX_SLOW_NAMES = 1_000;

  private final long thresholdNanos;
  private final Set<String> reportedSlow = ConcurrentHashMap.newKeySet();

  /** {@code threshold} zero turns the slow-listener report off. */
  ListenerCalls(Duration threshold) {
    this.thresholdNanos = threshold.toNanos();
  }

  /** Runs {@code listener}; the failure it threw (already logged), or null. */
  RuntimeException call(EventListener listener, RealEvent event) {
    long start = thresholdNanos > 0 ? System.nanoTime() : 0;
    try {
      listener.onEvent(event);
      return null;
    } catch (ArgumentException e) {
      log.info("socket {}: the arguments of \"{}\" do not bind: {}", event.socket().id(), event.name(), e.getMessage());
      return e;
    } catch (RuntimeException e) {
      log.warn("socket {}: a listener for \"{}\" failed", event.socket().id(), event.name(), e);
      return e;
    } finally {
      if (thresholdNanos > 0) {
        long held = System.nanoTime() - start;
        if (held > thresholdNanos) {
          reportSlow(event.name(), held);
        }
      }
    }
  }

  /**
   * Runs the catch-all listeners of {@code current}, then those of the event's name (or, when
   * none, the unhandled-event ones); when one threw, answers the event's acknowledgement with the
   * error, as the listener will not answer and the client would wait forever.
   */
  void dispatch(SocketListeners current, RealEvent event) {
    RuntimeException failure = null;
    for (EventListener listener : current.any()) {
      failure = firstOf(failure, call(listener, event));
    }
    String name = event.name();
    String[] names = current.names();
    EventListener[] named = current.named();
    boolean handled = false;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        handled = true;
        failure = firstOf(failure, call(named[i], event));
      }
    }
    if (!handled) {
      for (EventListener listener : current.unhandled()) {
        failure = firstOf(failure, call(listener, event));
      }
    }
    if (failure != null) {
      event.ack(failureAnswer(name, failure));
    }
  }

  private static RuntimeException firstOf(RuntimeException first, RuntimeException next) {
    return first != null ? first : next;
  }

  /** Tells each of {@code listeners} that {@code socket} disconnected; one that throws is logged. */
  static void notifyAll(DisconnectListener[] listeners, RealSocket socket, DisconnectReason reason, String description) {
    for (DisconnectListener listener : listeners) {
      try {
        listener.onDisconnect(reason, description);
      } catch (RuntimeException e) {
        log.warn("disconnect listener on socket {} failed", socket.id(), e);
      }
    }
  }

  private void reportSlow(String event, long heldNanos) {
    if (reportedSlow.size() >= MAX_SLOW_NAMES || !reportedSlow.add(event)) {
      return;
    }
    log.warn("a listener for \"{}\" held event loop {} for {} ms (threshold {} ms): move blocking work off the loop; "
            + "reported once per event name", event, Thread.currentThread().getName(),
        TimeUnit.NANOSECONDS.toMillis(heldNanos), TimeUnit.NANOSECONDS.toMillis(thresholdNanos));
  }

  /** The acknowledgement that answers an event whose listener threw {@code failure}. */
  static Map<String, Object> failureAnswer(String event, RuntimeException failure) {
    if (failure instanceof ArgumentException) {
      return error("INVALID_ARGUMENT", failure.getMessage());
    }
    return error("INTERNAL", "the server failed to handle \"" + event + "\"");
  }

  static Map<String, Object> error(String code, String message) {
    return Map.of("ok", false, "error", Map.of("code", code, "message", message));
  }
}
