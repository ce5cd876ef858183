package dev.switchboard.history;

import java.util.List;
import java.util.Optional;

/**
 * Bounded per-room message streams: the single resume cursor for SSE {@code Last-Event-ID},
 * Socket.IO connection state recovery and history queries. Implementations are thread-safe; the
 * in-memory one serves a single node, a cluster backend shares streams between nodes.
 */
public interface RoomHistory {
  /** Whether messages published to {@code room} are kept. */
  boolean keeps(String room);

  /**
   * Appends a message to {@code room}'s stream and returns its entry, or empty when the room
   * keeps no history.
   */
  Optional<HistoryEntry> append(String room, String event, byte[] argsJson, List<byte[]> attachments);

  /**
   * Messages published to {@code room} after {@code since} (exclusive), oldest first, at most
   * {@code limit}. A null {@code since} asks for everything still kept.
   */
  HistoryPage since(String room, StreamPosition since, int limit);

  /** The position of the newest message of {@code room} (offset 0 in a new epoch when none). */
  StreamPosition head(String room);
}
