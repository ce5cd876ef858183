package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.OccupancyChange;
import dev.switchboard.cluster.RoomOccupancy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The occupancy of a single node: its own first member in a room is the room's first anywhere. */
final class LocalOccupancy implements RoomOccupancy {
  /** The last sequence given; each is the clock's microseconds, or one more than the last when the clock did not move. */
  private final AtomicLong last = new AtomicLong();
  private volatile Consumer<OccupancyChange> changes = change -> {};

  @Override
  public void start(Consumer<OccupancyChange> changes) {
    this.changes = changes;
  }

  @Override
  public void entered(String namespace, String room) {
    changes.accept(new OccupancyChange(namespace, room, true, next()));
  }

  @Override
  public void left(String namespace, String room) {
    changes.accept(new OccupancyChange(namespace, room, false, next()));
  }

  private long next() {
    long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    return last.updateAndGet(previous -> Math.max(now, previous + 1));
  }
}
