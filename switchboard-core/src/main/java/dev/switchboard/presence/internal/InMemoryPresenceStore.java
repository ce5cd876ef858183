package dev.switchboard.presence.internal;

import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of this node's connections, in memory. A room's entry goes away with its last member. */
public final class InMemoryPresenceStore implements PresenceStore {
  private final ConcurrentHashMap<String, RoomPresence> rooms = new ConcurrentHashMap<>();

  /** One room: members by id with their connections, and which member each connection is. */
  private static final class RoomPresence {
    final Map<String, PresenceMember> members = new HashMap<>();
    final Map<String, Set<String>> connectionsByMember = new HashMap<>();
    final Map<String, String> memberByConnection = new HashMap<>();
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
      if (presence.members.isEmpty()) {
        rooms.remove(room, presence);
      }
      return Optional.ofNullable(gone);
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
