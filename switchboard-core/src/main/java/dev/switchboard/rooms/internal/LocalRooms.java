package dev.switchboard.rooms.internal;

import dev.switchboard.history.RoomHistory;
import dev.switchboard.rooms.RoomScope;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A namespace's rooms on this node: its local adapter, which every member joins, and its history. */
public record LocalRooms(LocalAdapter<?> adapter, RoomHistory history) implements RoomScope {
  public LocalRooms {
    Objects.requireNonNull(adapter, "adapter");
    Objects.requireNonNull(history, "history");
  }

  /** {@code rooms} as this library made it; refused when another implementation made it. */
  public static LocalRooms of(RoomScope rooms) {
    if (rooms instanceof LocalRooms local) {
      return local;
    }
    throw new IllegalArgumentException("rooms this library did not make: " + rooms.getClass().getName());
  }

  @Override
  public CompletableFuture<Map<String, Integer>> roomSizes() {
    return adapter.roomSizes();
  }
}
