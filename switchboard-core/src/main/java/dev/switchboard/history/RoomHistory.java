package dev.switchboard.history;

import java.util.concurrent.CompletableFuture;

/**
 * Bounded per-room message streams: the single resume cursor for SSE {@code Last-Event-ID},
 * Socket.IO connection state recovery and history queries. Messages are added as they are
 * broadcast. Implementations are thread-safe and never block: the in-memory one serves a single
 * node and answers at once, a cluster backend shares streams between nodes.
 */
public interface RoomHistory {
  /** Whether messages published to {@code room} are kept. */
  boolean keeps(String room);

  /**
   * Messages published to {@code room} after {@code since} (exclusive), oldest first, at most
   * {@code limit}.
   */
  CompletableFuture<HistoryPage> since(String room, StreamPosition since, int limit);

  /** Every message of {@code room} still kept, oldest first, at most {@code limit}. */
  CompletableFuture<HistoryPage> kept(String room, int limit);

  /** The position of the newest message of {@code room} (offset 0 in a new epoch when none). */
  CompletableFuture<StreamPosition> head(String room);

  /**
   * Forgets every message kept for {@code room}: its next message starts a new epoch, so a
   * resume from a position before the removal is told of the gap. Completes once removed.
   */
  CompletableFuture<Void> remove(String room);
}
