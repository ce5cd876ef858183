package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.cluster.Stamp;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the read of what a socket missed ended, in each stream it read: a live broadcast whose
 * offset is at or before that in its stream was in the stream when it was read. Such a broadcast
 * may still reach the socket after it caught up (published just before the read, it was still on
 * its way on the subscription connection), so the socket asks for as long as it lives (about
 * packets to it alone only until it caught up).
 */
final class ReadHorizons implements RecoveredSocket.Replayed {
  private final Map<String, String> lastRead;
  private final Function<ClusterBroadcast, String> streamOf;

  /**
   * @param lastRead the last id read, by stream
   * @param streamOf the stream a delivered broadcast comes from, as a key of {@code lastRead}
   */
  ReadHorizons(Map<String, String> lastRead, Function<ClusterBroadcast, String> streamOf) {
    this.lastRead = Map.copyOf(lastRead);
    this.streamOf = streamOf;
  }

  @Override
  public boolean covers(ClusterBroadcast delivered, Stamp stamp) {
    if (stamp.offset().isEmpty()) {
      return false;
    }
    String last = lastRead.get(streamOf.apply(delivered));
    return last != null && StreamIds.compare(stamp.offset().get(), last) <= 0;
  }
}
