package dev.switchboard.rooms;

import dev.switchboard.history.RoomHistory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The rooms of one namespace on this node, with the history that keeps their messages: what
 * another transport joins to share them, so that one broadcast reaches Socket.IO sockets and, say,
 * EventSource streams alike ({@code SseRooms.over(rooms, options)}). Only this library makes them.
 */
public interface RoomScope {
  /** Where the rooms' messages are kept for resuming and catching up. */
  RoomHistory history();

  /** The rooms with members on this node, with their member counts, gathered from every event loop. */
  CompletableFuture<Map<String, Integer>> roomSizes();
}
