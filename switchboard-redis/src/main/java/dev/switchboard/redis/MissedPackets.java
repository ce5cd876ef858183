package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.history.StreamPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a socket missed on a Redis Cluster, gathered from the entries after its client's offset in
 * each stream that may have reached it, and merged by their ids ({@code <µs>-<n>}): the order of
 * time. A broadcast to several rooms is in each room's stream; the socket takes it from the first
 * of those rooms it is in, the one whose channel delivers it live. Recovery fails (empty) when a
 * stream lost entries after the offset (trimmed, or marked lost while Redis was away), or when more
 * than {@code most} packets were missed.
 */
final class MissedPackets {
  private record Entry(long micros, long sequence, String offset, ClusterBroadcast broadcast,
      Optional<StreamPosition> position) {}

  private static final Comparator<Entry> BY_TIME =
      Comparator.comparingLong(Entry::micros).thenComparingLong(Entry::sequence);

  private final DisconnectedSocket socket;
  private final int most;
  private final List<Entry> entries = new ArrayList<>();
  private boolean incomplete;

  MissedPackets(DisconnectedSocket socket, int most) {
    this.socket = socket;
    this.most = most;
  }

  /**
   * Adds the entries read from one stream: the stream of {@code room}, or of broadcasts to a whole
   * namespace or private rooms when it is null. {@code read} is null when entries were trimmed.
   */
  synchronized void add(String room, List<?> read) {
    if (read == null || read.size() > most) {
      incomplete = true;
      return;
    }
    for (Object item : read) {
      StreamEntry entry = StreamEntry.of(item);
      if (entry.field("lost") != null) {
        incomplete = true;
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
    return Optional.of(new RecoveredSocket(socket, missed));
  }
}
