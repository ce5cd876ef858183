package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.SignalingError;
import dev.switchboard.webrtc.SignalingMode;
import dev.switchboard.webrtc.SignalingOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signals of one connection, handled on its event loop: read, charged to its budget, checked
 * against presence, relayed to every connection of the target user in the order they came (an
 * offer is never overtaken by its candidates while its check is pending). A successful check is
 * reused for {@link SignalingOptions#membershipTtl()}. A signal naming no target goes to the
 * connection's current peer ({@link CurrentPeer}), found when its turn comes, so after the
 * signals sent before it.
 */
public final class SocketSignals {
  private static final Logger log = LoggerFactory.getLogger(SocketSignals.class);
  /** Most signals waiting for an earlier one's check; the budget keeps far below it in practice. */
  static final int MAX_WAITING = 256;
  /** Most targets whose check is remembered; past it they are all forgotten. */
  static final int MAX_REMEMBERED = 64;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** A successful check: the call it went through (none in open mode) and until when it holds. */
  private record Checked(Optional<String> call, long untilNanos) {}

  private final Socket socket;
  private final Namespace namespace;
  private final SignalingOptions options;
  private final Reachability reachability;
  private final OfferNotices notices;
  /** The sender's user id; empty for an anonymous connection, which cannot signal. */
  private final Optional<String> user;
  private final TokenBucket budget;
  private final Map<String, Checked> checked = new HashMap<>();
  private final CurrentPeer peer = new CurrentPeer();
  private CompletableFuture<?> tail = DONE;
  private int waiting;

  private SocketSignals(Socket socket, Namespace namespace, SignalingOptions options, Reachability reachability,
      OfferNotices notices, Optional<String> user) {
    this.socket = socket;
    this.namespace = namespace;
    this.options = options;
    this.reachability = reachability;
    this.notices = notices;
    this.user = user;
    this.budget = new TokenBucket(options.rate(), System.nanoTime());
  }

  /** Handles the signals of {@code socket}, whose user is {@code user} (empty: anonymous, refused). */
  public static void install(Socket socket, Namespace namespace, SignalingOptions options, Reachability reachability,
      OfferNotices notices, Optional<String> user) {
    SocketSignals signals = new SocketSignals(socket, namespace, options, reachability, notices, user);
    user.ifPresent(id -> {
      notices.add(id, signals);
      socket.onDisconnect((reason, description) -> notices.remove(id, signals));
    });
    for (SignalKind kind : SignalKind.values()) {
      socket.on(kind.event(), event -> signals.receive(kind, event));
    }
  }

  /** User {@code from} sent an offer to this connection's user; from any thread. */
  void offeredBy(String from) {
    try {
      socket.executor().execute(() -> peer.negotiatesWith(from));
    } catch (RejectedExecutionException e) {
      // The server is stopping: the connection will send nothing more.
    }
  }

  /** A signal came; on the socket's loop. */
  public void receive(SignalKind kind, Event event) {
    if (user.isEmpty()) {
      refuse(event, SignalingError.AUTH_REQUIRED,
          "signaling needs a user: a token, or without authentication the handshake's auth.user.id");
      return;
    }
    Parsed parsed = SignalParser.parse(kind, event.args().get(0), user.get(), options);
    int cost = parsed instanceof Parsed.Signal signal ? signal.cost() : 1;
    if (waiting >= MAX_WAITING || !budget.tryTake(System.nanoTime(), cost)) {
      refuse(event, SignalingError.RATE_LIMITED, "too many signals from this connection; \"" + kind.event() + "\" was dropped");
      return;
    }
    switch (parsed) {
      case Parsed.Invalid invalid -> refuse(event, SignalingError.INVALID_SIGNAL, invalid.reason());
      case Parsed.Signal signal -> enqueue(signal, event);
    }
  }

  private void enqueue(Parsed.Signal signal, Event event) {
    if (tail.isDone()) {
      tail = relay(signal, event);
      return;
    }
    waiting++;
    tail = tail.handle((previous, error) -> null).thenComposeAsync(previous -> {
      waiting--;
      return relay(signal, event);
    }, socket.executor());
  }

  /** Checks and relays {@code signal}; on the loop. Completes when it is answered, never exceptionally. */
  private CompletableFuture<?> relay(Parsed.Signal signal, Event event) {
    Optional<String> to = signal.to().or(peer::only);
    if (to.isEmpty()) {
      refuse(event, SignalingError.INVALID_SIGNAL, peer.whyNone());
      return DONE;
    }
    try {
      return checkAndRelay(signal, to.get(), event).handle((done, error) -> error == null ? null : failed(event, error));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(event, e));
    }
  }

  private Void failed(Event event, Throwable error) {
    log.warn("socket {}: \"{}\" failed", socket.id(), event.name(), error);
    event.ack(Map.of("ok", false, "error", Map.of("code", "INTERNAL", "message", "the signal could not be relayed; try again")));
    return null;
  }

  private CompletableFuture<Void> checkAndRelay(Parsed.Signal signal, String to, Event event) {
    Checked known = checked.get(to);
    if (known != null && System.nanoTime() - known.untilNanos() < 0
        && known.call().map(call -> socket.rooms().contains(call)).orElse(true)) {
      deliver(signal, to, event);
      return DONE;
    }
    List<String> calls = Reachability.calls(socket.rooms());
    if (options.mode() == SignalingMode.CALL_ROOMS && calls.isEmpty()) {
      answer(signal, to, event, Reachability.notInCall(to));
      return DONE;
    }
    return reachability.check(calls, to)
        .thenAcceptAsync(reach -> answer(signal, to, event, reach), socket.executor());
  }

  private void answer(Parsed.Signal signal, String to, Event event, Reach reach) {
    switch (reach) {
      case Reach.Refused refused -> refuse(event, refused.code(), refused.message());
      case Reach.Reachable reachable -> {
        remember(to, reachable.call());
        deliver(signal, to, event);
      }
    }
  }

  private void remember(String to, Optional<String> call) {
    if (options.membershipTtl().isZero()) {
      return;
    }
    if (checked.size() >= MAX_REMEMBERED && !checked.containsKey(to)) {
      checked.clear();
    }
    checked.put(to, new Checked(call, System.nanoTime() + options.membershipTtl().toNanos()));
  }

  /** Sends {@code {from, sdp}} or {@code {from, candidate}} to every connection of the target, on every node. */
  private void deliver(Parsed.Signal signal, String to, Event event) {
    String from = user.orElseThrow();
    if (signal.kind() != SignalKind.ICE_CANDIDATE) {
      peer.negotiatesWith(to);
    }
    if (signal.kind() == SignalKind.OFFER) {
      notices.offered(to, from);
    }
    ObjectNode relayed = JsonNodeFactory.instance.objectNode().put("from", from);
    relayed.set(signal.kind().field(), signal.body());
    namespace.to(Rooms.user(to)).withoutHistory().emit(signal.kind().event(), relayed);
    event.ack(Map.of("ok", true));
  }

  private void refuse(Event event, SignalingError code, String message) {
    if (event.hasAck()) {
      event.ack(Map.of("ok", false, "error", Map.of("code", code.name(), "message", message)));
    } else {
      log.debug("socket {}: \"{}\" refused ({}): {}", socket.id(), event.name(), code, message);
    }
  }
}
