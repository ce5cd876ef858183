package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.OccupancyChange;
import dev.switchboard.cluster.RoomOccupancy;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.socketio.OccupancyListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the rooms of the namespaces whose occupancy someone listens to: reports this node's
 * first member in and last member out of each room to the {@link RoomOccupancy} (the cluster's,
 * or this node's alone), and hands the changes it decides to the namespace's listeners. Nothing is
 * followed, and nothing costs, until the first listener.
 */
final class OccupancyTracker {
  private static final Logger log = LoggerFactory.getLogger(OccupancyTracker.class);

  private final RoomOccupancy occupancy;
  private final AtomicBoolean started = new AtomicBoolean();
  private final ConcurrentHashMap<String, List<OccupancyListener>> listeners = new ConcurrentHashMap<>();

  OccupancyTracker(RoomOccupancy occupancy) {
    this.occupancy = occupancy;
  }

  /** Adds {@code listener} of {@code nsp}'s rooms, following them from now on. */
  void listen(RealNamespace nsp, OccupancyListener listener) {
    if (started.compareAndSet(false, true)) {
      occupancy.start(this::changed);
    }
    listeners.computeIfAbsent(nsp.name(), name -> {
      nsp.adapter().onRoomActivity(new LocalAdapter.RoomActivity() {
        @Override
        public void active(String room) {
          occupancy.entered(name, room);
        }

        @Override
        public void inactive(String room) {
          occupancy.left(name, room);
        }
      });
      return new CopyOnWriteArrayList<>();
    }).add(listener);
  }

  /** See {@link RoomOccupancy#decided}. */
  CompletableFuture<Void> decided(String namespace, String room) {
    return started.get() ? occupancy.decided(namespace, room) : CompletableFuture.completedFuture(null);
  }

  /** See {@link RoomOccupancy#settled}. */
  CompletableFuture<Void> settled() {
    return started.get() ? occupancy.settled() : CompletableFuture.completedFuture(null);
  }

  private void changed(OccupancyChange change) {
    for (OccupancyListener listener : listeners.getOrDefault(change.namespace(), List.of())) {
      try {
        listener.onOccupancy(change);
      } catch (RuntimeException e) {
        log.warn("an occupancy listener failed on {} of {}", change.occupied() ? "occupied" : "vacated", change.room(), e);
      }
    }
  }
}
