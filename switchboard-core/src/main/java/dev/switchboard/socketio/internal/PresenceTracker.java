package dev.switchboard.socketio.internal;

import dev.switchboard.presence.PresenceIdentity;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.presence.PresenceStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps a namespace's presence in step with room memberships and announces changes: one
 * {@code presence:join} when a member's first connection enters a room, one {@code presence:leave}
 * when their last one leaves, however it leaves.
 */
final class PresenceTracker {
  static final String JOIN_EVENT = "presence:join";
  static final String LEAVE_EVENT = "presence:leave";

  private record CompiledRule(Pattern pattern, PresenceRule rule) {}

  private final RealNamespace nsp;
  private final PresenceStore store;
  private final PresenceIdentity identity;
  private final List<CompiledRule> rules;

  PresenceTracker(RealNamespace nsp, PresenceStore store, PresenceIdentity identity, List<PresenceRule> rules) {
    this.nsp = nsp;
    this.store = store;
    this.identity = identity;
    this.rules = rules.stream().map(r -> new CompiledRule(r.toRegex(), r)).toList();
  }

  /** {@code socket} entered {@code room}; on the socket's loop. */
  void joined(RealSocket socket, String room) {
    Optional<PresenceRule> rule = rule(socket, room);
    if (rule.isEmpty()) {
      return;
    }
    PresenceMember member = identity.identify(socket);
    if (store.add(room, member, socket.id()) && rule.get().events()) {
      nsp.broadcastUnkept(JOIN_EVENT, new Object[] {payload(room, member)},
          new BroadcastTarget(Set.of(room), Set.of(socket.id()), false, false));
    }
  }

  /** {@code socket} left {@code room} (or disconnected); on the socket's loop. */
  void left(RealSocket socket, String room) {
    Optional<PresenceRule> rule = rule(socket, room);
    if (rule.isEmpty()) {
      return;
    }
    store.remove(room, socket.id()).ifPresent(member -> {
      if (rule.get().events()) {
        nsp.broadcastUnkept(LEAVE_EVENT, new Object[] {payload(room, member)},
            new BroadcastTarget(Set.of(room), Set.of(socket.id()), false, false));
      }
    });
  }

  List<PresenceMember> members(String room) {
    return store.members(room);
  }

  private Optional<PresenceRule> rule(RealSocket socket, String room) {
    if (room.equals(socket.id())) {
      return Optional.empty();
    }
    for (CompiledRule compiled : rules) {
      if (compiled.pattern().matcher(room).matches()) {
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
