package dev.switchboard.socketio.internal;

import dev.switchboard.limits.EventLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.socketio.DisconnectReason;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event limits of one socket ({@link EventLimits}): its own bucket or one per event, its user's
 * shared budget, and the refusals that end a client which keeps at it. Loop-confined.
 */
final class SocketRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(SocketRateLimiter.class);

  private final RealSocket socket;
  private final EventGate gate;
  /** The user whose limits the socket counts against, "" when anonymous; found on first use. */
  private String user;
  private TokenBucket socketBucket;
  private HashMap<String, TokenBucket> eventBuckets;
  /** When the last refusals happened, as a ring of {@code disconnectAfterRefusals} slots. */
  private long[] refusals;
  private int refusalCount;

  SocketRateLimiter(RealSocket socket, EventGate gate) {
    this.socket = socket;
    this.gate = gate;
  }

  /** The user whose limits the socket counts against; null when anonymous. */
  String user() {
    if (user == null) {
      String member = socket.realNamespace().server().options().presenceIdentity().identify(socket).id();
      user = member.equals(socket.id()) ? "" : member;
    }
    return user.isEmpty() ? null : user;
  }

  /**
   * Whether the socket may handle {@code packet}; if not, it is answered with RATE_LIMITED, and
   * the connection of a client that keeps at it is ended.
   */
  boolean admit(SioPacket.Event packet) {
    if (admit(packet.name(), user())) {
      return true;
    }
    socket.realNamespace().server().meters().rateLimited();
    Map<String, Object> error = Map.of("code", "RATE_LIMITED",
        "message", "too many events; \"" + packet.name() + "\" was dropped", "event", packet.name());
    if (packet.ackId() >= 0) {
      socket.sendAck(packet.ackId(), new Object[] {Map.of("ok", false, "error", error)});
    } else {
      socket.emit(ReservedEvents.ERROR, error);
    }
    if (refusedTooOften()) {
      int threshold = gate.limits().disconnectAfterRefusals();
      log.info("socket {}: disconnected after {} refused events within 10 s", socket.id(), threshold);
      socket.client().disconnectAll(DisconnectReason.RATE_LIMITED, threshold + " events refused within 10 s");
    }
    return false;
  }

  /** Takes {@code event} from the socket's budget and from {@code user}'s (null when anonymous). */
  private boolean admit(String event, String user) {
    EventLimits limits = gate.limits();
    if (limits.exempt().contains(event)) {
      return true;
    }
    long now = System.nanoTime();
    RateLimit own = limits.perEvent().get(event);
    TokenBucket bucket;
    if (own != null) {
      if (eventBuckets == null) {
        eventBuckets = new HashMap<>();
      }
      bucket = eventBuckets.computeIfAbsent(event, e -> new TokenBucket(own, now));
    } else if (limits.perSocket().isPresent()) {
      if (socketBucket == null) {
        socketBucket = new TokenBucket(limits.perSocket().get(), now);
      }
      bucket = socketBucket;
    } else {
      bucket = null;
    }
    if (bucket != null && !bucket.tryTake(now)) {
      return false;
    }
    return user == null || gate.allowUserEvent(user, now);
  }

  /**
   * Counts a refused event; true when {@link EventLimits#disconnectAfterRefusals()} of them came
   * within {@link EventLimits#REFUSAL_WINDOW_NANOS}, and the client is to be disconnected.
   */
  private boolean refusedTooOften() {
    int threshold = gate.limits().disconnectAfterRefusals();
    if (threshold == 0) {
      return false;
    }
    long now = System.nanoTime();
    if (refusals == null) {
      refusals = new long[threshold];
    }
    refusals[refusalCount % threshold] = now;
    refusalCount++;
    // Once full, the ring's next slot holds the first of the last `threshold` refusals.
    return refusalCount >= threshold && now - refusals[refusalCount % threshold] < EventLimits.REFUSAL_WINDOW_NANOS;
  }
}
