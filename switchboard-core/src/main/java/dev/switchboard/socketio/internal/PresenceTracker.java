package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Globs;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.PresenceListener;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.ReservedEvents;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a namespace's presence in step with room memberships and announces changes: one
 * {@code presence:join} when a member's first connection enters a room, one {@code presence:leave}
 * when their last one leaves, however it leaves, but for a connection a stopping node keeps for
 * recovery on another node: that member has not left.
 */
final class PresenceTracker {
  private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);
  static final String JOIN_EVENT = ReservedEvents.PRESENCE_JOIN;
  static final String LEAVE_EVENT = ReservedEvents.PRESENCE_LEAVE;

  private record CompiledRule(Predicate<String> matches, PresenceRule rule) {}

  private final RealNamespace nsp;
  private final PresenceStore store;
  private final PresenceIdentity identity;
  private final List<CompiledRule> rules;
  private final PresenceDiffs diffs;
  private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
  /** Additions and removals the store has not answered yet. */
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  /** The last addition or removal of each room not answered yet. */
  private final ConcurrentHashMap<String, CompletableFuture<?>> lastByRoom = new ConcurrentHashMap<>();

  PresenceTracker(RealNamespace nsp, PresenceStore store, PresenceIdentity identity, List<PresenceRule> rules,
      PresenceDiffs diffs) {
    this.nsp = nsp;
    this.diffs = diffs;
    this.store = store;
    this.identity = identity;
    this.rules = rules.stream().map(r -> new CompiledRule(Globs.matcher(r.roomPattern()), r)).toList();
    store.onExpired(this::expired);
    store.onRestored(this::restored);
  }

  void listen(PresenceListener listener) {
    listeners.add(listener);
  }

  /** {@code socket} entered {@code room}; on the socket's loop. */
  void joined(RealSocket socket, String room) {
    Optional<PresenceRule> rule = rule(socket, room);
    if (rule.isEmpty()) {
      return;
    }
    if (rule.get().events() && diffs.wants(socket)) {
      diffs.entered(socket, room);
    }
    PresenceMember member = identity.identify(socket);
    String socketId = socket.id();
    track(room, store.addAsync(room, member, socketId).whenComplete((arrived, error) -> {
      if (error != null) {
        log.debug("presence of {} in {} not recorded: {}", socketId, room, error.toString());
      } else if (arrived) {
        if (rule.get().events()) {
          nsp.broadcastUnkept(JOIN_EVENT, new Object[] {payload(room, member)},
              announced(room, socketId));
        }
        tell(room, member, true);
      }
    }));
  }

  /** {@code socket} left {@code room} (or disconnected); on the socket's loop. */
  void left(RealSocket socket, String room) {
    left(socket, room, false);
  }

  /**
   * {@code socket} was kept for recovery on another node and closed as this node stops: its member
   * has not left (whoever takes it back within the recovery window finds them present, and
   * announces nothing), so nothing is announced unless the store is this node's alone.
   */
  void handedOver(RealSocket socket, String room) {
    left(socket, room, true);
  }

  private void left(RealSocket socket, String room, boolean handedOver) {
    Optional<PresenceRule> rule = rule(socket, room);
    if (rule.isEmpty()) {
      return;
    }
    if (rule.get().events() && diffs.wants(socket)) {
      diffs.exited(socket, room);
    }
    String socketId = socket.id();
    CompletableFuture<Optional<PresenceMember>> removal = handedOver
        ? store.handOverAsync(room, socketId) : store.removeAsync(room, socketId);
    track(room, removal.whenComplete((gone, error) -> {
      if (error != null) {
        log.debug("presence of {} in {} not removed: {}", socketId, room, error.toString());
      } else if (gone.isPresent()) {
        if (rule.get().events()) {
          nsp.broadcastUnkept(LEAVE_EVENT, new Object[] {payload(room, gone.get())},
              announced(room, socketId));
        }
        tell(room, gone.get(), false);
      }
    }));
  }

  /** A presence event's target: the room, but the connection it is about and those that get diffs instead. */
  private static BroadcastTarget announced(String room, String socketId) {
    return new BroadcastTarget(Set.of(room), Set.of(socketId, PresenceDiffs.audience(room)), false, false);
  }

  /** Completes once every addition and removal asked so far is answered and announced. */
  CompletableFuture<Void> settled() {
    return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((ok, error) -> null);
  }

  /** Completes once the store answered every addition and removal of {@code room} asked so far, and it was announced. */
  CompletableFuture<Void> decided(String room) {
    CompletableFuture<?> last = lastByRoom.get(room);
    return last == null ? CompletableFuture.completedFuture(null) : last.handle((result, error) -> null);
  }

  private void track(String room, CompletableFuture<?> change) {
    if (!change.isDone()) {
      inFlight.add(change);
      lastByRoom.put(room, change);
      change.whenComplete((result, error) -> {
        inFlight.remove(change);
        lastByRoom.remove(room, change);
      });
    }
  }

  /** A member whose node stopped refreshing them is gone; announced to every node's members. */
  private void expired(String room, PresenceMember member) {
    Optional<PresenceRule> rule = rule(room);
    if (rule.isEmpty()) {
      return;
    }
    if (rule.get().events()) {
      nsp.broadcastUnkept(LEAVE_EVENT, new Object[] {payload(room, member)},
          new BroadcastTarget(Set.of(room), Set.of(PresenceDiffs.audience(room)), false, false));
    }
    tell(room, member, false);
  }

  /**
   * A member of this node is present again after the node could not reach the shared store: the
   * other nodes' members heard them leave (or never heard them arrive), this node's own did not.
   * So the join goes to every member of the room but this node's, and the listeners, which heard
   * the leave, hear the join.
   */
  private void restored(PresenceStore.Restored restored) {
    String room = restored.room();
    Optional<PresenceRule> rule = rule(room);
    if (rule.isEmpty()) {
      return;
    }
    if (rule.get().events()) {
      Set<String> here = ConcurrentHashMap.newKeySet();
      nsp.adapter().apply(new BroadcastTarget(Set.of(room), Set.of(), true, false), socket -> here.add(socket.id()))
          .thenRun(() -> nsp.broadcastUnkept(JOIN_EVENT, new Object[] {payload(room, restored.member())},
              new BroadcastTarget(Set.of(room), Set.copyOf(here), false, false)));
    }
    if (restored.expired()) {
      tell(room, restored.member(), true);
    }
  }

  private void tell(String room, PresenceMember member, boolean joined) {
    for (PresenceListener listener : listeners) {
      try {
        if (joined) {
          listener.joined(room, member);
        } else {
          listener.left(room, member);
        }
      } catch (RuntimeException e) {
        log.warn("a presence listener failed on {} of {} in {}", joined ? "join" : "leave", member.id(), room, e);
      }
    }
  }

  List<PresenceMember> members(String room) {
    return store.members(room);
  }

  CompletableFuture<List<PresenceMember>> membersAsync(String room) {
    return store.membersAsync(room);
  }

  CompletableFuture<Boolean> reserve(String room, String memberId, int maxMembers, Duration hold) {
    return store.reserve(room, memberId, maxMembers, hold);
  }

  private Optional<PresenceRule> rule(RealSocket socket, String room) {
    if (room.equals(socket.id())) {
      return Optional.empty();
    }
    return rule(room);
  }

  private Optional<PresenceRule> rule(String room) {
    for (CompiledRule compiled : rules) {
      if (compiled.matches().test(room)) {
        return compiled.rule().track() ? Optional.of(compiled.rule()) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> payload(String room, PresenceMember member) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("room", room);
    Map<String, Object> who = new LinkedHashMap<>(member.info());
    who.put("id", member.id());
    payload.put("member", who);
    return payload;
  }
}
