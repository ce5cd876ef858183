package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.history.StreamPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a socket missed on a Redis Cluster, gathered from the entries after its client's offset in
 * each stream that may have reached it, and merged by their ids ({@code <µs>-<n>}): the order of
 * time. A broadcast to several rooms is in each room's stream; the socket takes it from the first
 * of those rooms it is in, the one whose channel delivers it live. Recovery fails (empty) when a
 * stream lost entries after the offset (trimmed, or marked lost while Redis was away), or when more
 * than {@code most} packets or {@code maxBytes} bytes of them were read.
 */
final class MissedPackets {
  private record Entry(long micros, long sequence, String offset, ClusterBroadcast broadcast,
      Optional<StreamPosition> position) {}

  /** What was read from one stream: the entries after the offset, and the stream's last id then. */
  record Read(List<?> entries, String lastId) {}

  private static final Comparator<Entry> BY_TIME =
      Comparator.comparingLong(Entry::micros).thenComparingLong(Entry::sequence);
  /** The key of the namespace's stream among {@link #lastRead}'s rooms. */
  private static final String NAMESPACE_STREAM = "";

  private final DisconnectedSocket socket;
  private final int most;
  private final long maxBytes;
  private final List<Entry> entries = new ArrayList<>();
  /** The bytes of the entries read so far. */
  private long bytes;
  /** The last id of each stream read, by room ({@link #NAMESPACE_STREAM} for the namespace's). */
  private final Map<String, String> lastRead = new HashMap<>();
  private boolean incomplete;

  MissedPackets(DisconnectedSocket socket, int most, long maxBytes) {
    this.socket = socket;
    this.most = most;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds what was read from one stream: the stream of {@code room}, or of broadcasts to a whole
   * namespace or private rooms when it is null. {@code read} is null when entries were trimmed.
   */
  synchronized void add(String room, Read read) {
    if (read != null) {
      lastRead.put(room == null ? NAMESPACE_STREAM : room, read.lastId());
    }
    add(room, read == null ? null : read.entries());
  }

  /**
   * Adds what was read from the stream of the node the socket was on: packets sent to it alone,
   * which reach it live on no other node.
   */
  synchronized void addFromNode(Read read) {
    add(null, read == null ? null : read.entries());
  }

  private void add(String room, List<?> read) {
    if (incomplete || read == null || read.size() > most) {
      incomplete = true;
      return;
    }
    for (Object item : read) {
      StreamEntry entry = StreamEntry.of(item);
      bytes += entry.size();
      if (bytes > maxBytes) {
        incomplete = true;
        entries.clear();
        return;
      }
      if (entry.field("lost") != null) {
        incomplete = true;
        entries.clear();
        return;
      }
      ClusterBroadcast broadcast;
      try {
        broadcast = Messages.broadcast(entry.field("m")).message();
      } catch (IOException e) {
        incomplete = true;
        return;
      }
      if (room == null ? RedisStreams.reaches(broadcast, socket.rooms()) : takenFrom(broadcast, room)) {
        String id = entry.id();
        int dash = id.indexOf('-');
        entries.add(new Entry(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)), id,
            broadcast, entry.position()));
      }
    }
  }

  /** Whether some of what the socket missed is no longer kept, or is more than may be read. */
  synchronized boolean failed() {
    return incomplete;
  }

  /** The bytes the streams not read yet may still bring. */
  synchronized long bytesLeft() {
    return Math.max(0, maxBytes - bytes);
  }

  /** Whether the socket takes {@code broadcast} from {@code room}'s stream: its first room the socket is in. */
  private boolean takenFrom(ClusterBroadcast broadcast, String room) {
    if (broadcast.except().stream().anyMatch(socket.rooms()::contains)) {
      return false;
    }
    return broadcast.rooms().stream().filter(socket.rooms()::contains).findFirst().map(room::equals).orElse(false);
  }

  /** The socket with what it missed, oldest first; empty when some of it is no longer kept. */
  synchronized Optional<RecoveredSocket> recovered() {
    if (incomplete || entries.size() > most) {
      return Optional.empty();
    }
    List<RecoveredSocket.Missed> missed = entries.stream().sorted(BY_TIME)
        .map(entry -> new RecoveredSocket.Missed(entry.broadcast(), entry.offset(), entry.position())).toList();
    return Optional.of(new RecoveredSocket(socket, missed, new ReadHorizons(lastRead, MissedPackets::streamOf)));
  }

  /**
   * The stream a live broadcast comes from, told by how it was delivered: through a room's channel
   * (narrowed to that room), or through the channel of the whole namespace (no room, or private
   * ones). Packets to one socket of this node, the third kind, are sent to it only once it is
   * connected, so they are never held while it catches up; the socket stops asking about packets
   * to it alone once it caught up.
   */
  private static String streamOf(ClusterBroadcast delivered) {
    List<String> rooms = delivered.rooms();
    return rooms.size() == 1 && !Keys.isPrivate(rooms.get(0)) ? rooms.get(0) : NAMESPACE_STREAM;
  }
}
