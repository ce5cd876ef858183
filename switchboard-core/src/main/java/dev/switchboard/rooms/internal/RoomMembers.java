package dev.switchboard.rooms.internal;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The members of one room within one shard, in join order. Most rooms hold one member (every
 * socket's own room, a user's room with one tab), so one member is kept without a set: a set
 * costs about 200 bytes, which at tens of thousands of connections is most of a room's memory.
 * Touched only from the shard's loop.
 */
final class RoomMembers implements Iterable<RoomMember> {
  private RoomMember single;
  private LinkedHashSet<RoomMember> many;
  /**
   * Whether this loop's members make the room count among the node's rooms: decided by its first
   * member, false when that is a socket in its own room (named after it).
   */
  boolean counted;
  /** Whether the room is shown in {@link LocalAdapter#roomSizes}: false for a room of the server's own. */
  boolean listed = true;

  /** Whether {@code member} was not here before. */
  boolean add(RoomMember member) {
    if (many != null) {
      return many.add(member);
    }
    if (single == null) {
      single = member;
      return true;
    }
    if (single == member) {
      return false;
    }
    many = new LinkedHashSet<>();
    many.add(single);
    many.add(member);
    single = null;
    return true;
  }

  /** Whether {@code member} was here. */
  boolean remove(RoomMember member) {
    if (many != null) {
      return many.remove(member);
    }
    if (single == member) {
      single = null;
      return true;
    }
    return false;
  }

  boolean isEmpty() {
    return many != null ? many.isEmpty() : single == null;
  }

  int size() {
    return many != null ? many.size() : single == null ? 0 : 1;
  }

  @Override
  public Iterator<RoomMember> iterator() {
    if (many != null) {
      return many.iterator();
    }
    return single == null ? Collections.emptyIterator() : Collections.singleton(single).iterator();
  }
}
