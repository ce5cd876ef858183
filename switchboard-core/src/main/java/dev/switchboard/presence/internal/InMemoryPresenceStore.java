package dev.switchboard.presence.internal;

import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence of this node's connections, in memory. A room's entry goes away with its last member
 * (kept while a place promised by {@link #reserve} has not lapsed).
 */
public final class InMemoryPresenceStore implements PresenceStore {
  private final ConcurrentHashMap<String, RoomPresence> rooms = new ConcurrentHashMap<>();

  /** One room: members by id with their connections, and which member each connection is. */
  private static final class RoomPresence {
    final Map<String, PresenceMember> members = new HashMap<>();
    final Map<String, Set<String>> connectionsByMember = new HashMap<>();
    final Map<String, String> memberByConnection = new HashMap<>();
    /** Places held by {@link #reserve}: member id to the {@link System#nanoTime()} they lapse at. */
    final Map<String, Long> heldUntil = new HashMap<>();

    /** Forgets lapsed places; true when none is left. */
    boolean dropLapsedPlaces(long now) {
      heldUntil.values().removeIf(until -> until - now <= 0);
      return heldUntil.isEmpty();
    }
  }

  @Override
  public boolean add(String room, PresenceMember member, String connectionId) {
    while (true) {
      RoomPresence presence = rooms.computeIfAbsent(room, r -> new RoomPresence());
      synchronized (presence) {
        if (rooms.get(room) != presence) {
          continue;
        }
        presence.memberByConnection.put(connectionId, member.id());
        presence.members.putIfAbsent(member.id(), member);
        // Present now: counted as such, and not once more after leaving.
        presence.heldUntil.remove(member.id());
        return presence.connectionsByMember.computeIfAbsent(member.id(), m -> new HashSet<>()).add(connectionId)
            && presence.connectionsByMember.get(member.id()).size() == 1;
      }
    }
  }

  @Override
  public Optional<PresenceMember> remove(String room, String connectionId) {
    RoomPresence presence = rooms.get(room);
    if (presence == null) {
      return Optional.empty();
    }
    synchronized (presence) {
      String memberId = presence.memberByConnection.remove(connectionId);
      if (memberId == null) {
        return Optional.empty();
      }
      Set<String> connections = presence.connectionsByMember.get(memberId);
      connections.remove(connectionId);
      if (!connections.isEmpty()) {
        return Optional.empty();
      }
      presence.connectionsByMember.remove(memberId);
      PresenceMember gone = presence.members.remove(memberId);
      if (presence.members.isEmpty() && presence.dropLapsedPlaces(System.nanoTime())) {
        rooms.remove(room, presence);
      }
      return Optional.ofNullable(gone);
    }
  }

  @Override
  public CompletableFuture<Boolean> reserve(String room, String memberId, int maxMembers, Duration hold) {
    long now = System.nanoTime();
    while (true) {
      RoomPresence presence = rooms.computeIfAbsent(room, r -> new RoomPresence());
      synchronized (presence) {
        if (rooms.get(room) != presence) {
          continue;
        }
        presence.dropLapsedPlaces(now);
        if (presence.members.containsKey(memberId) || presence.heldUntil.containsKey(memberId)) {
          presence.heldUntil.computeIfPresent(memberId, (id, until) -> now + hold.toNanos());
          return CompletableFuture.completedFuture(true);
        }
        // Disjoint: a place is held only for one not yet present, and dropped when it joins.
        if (presence.members.size() + presence.heldUntil.size() >= maxMembers) {
          if (presence.members.isEmpty() && presence.heldUntil.isEmpty()) {
            rooms.remove(room, presence);
          }
          return CompletableFuture.completedFuture(false);
        }
        presence.heldUntil.put(memberId, now + hold.toNanos());
        return CompletableFuture.completedFuture(true);
      }
    }
  }

  @Override
  public List<PresenceMember> members(String room) {
    RoomPresence presence = rooms.get(room);
    if (presence == null) {
      return List.of();
    }
    synchronized (presence) {
      return List.copyOf(new ArrayList<>(presence.members.values()));
    }
  }
}
