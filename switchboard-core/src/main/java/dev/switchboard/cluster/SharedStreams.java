package dev.switchboard.cluster;

import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.RoomHistory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Room history and connection state recovery kept where every node reads them, so a client may
 * resume on any node, or on a node that restarted. A kept broadcast goes through
 * {@link #publish}: it gets its positions and reaches every node, the publishing one included,
 * through {@link LocalNode#deliver(ClusterBroadcast, Stamp)}, in one order on every node.
 * Every method may be called from an event loop and must not block.
 */
public interface SharedStreams {
  /**
   * Keeps {@code broadcast} as {@code keeping} says and hands it to the nodes with its stamp.
   * Completes exceptionally when it could not be kept; then no node got it, and the next kept
   * broadcast to the same room or namespace marks the loss (a new history epoch, a recovery that
   * fails), so that clients hear of it instead of missing messages silently.
   */
  CompletableFuture<Stamp> publish(ClusterBroadcast broadcast, Keeping keeping);

  /** The shared history of the rooms that {@code rules} keep (the first matching rule applies). */
  RoomHistory history(List<HistoryRule> rules);

  /** Keeps a disconnected socket of {@code namespace} for {@code window}. */
  CompletableFuture<Void> persist(String namespace, DisconnectedSocket socket, Duration window);

  /**
   * Keeps the recoverable state of the connected socket {@code pid} of {@code namespace} as it
   * changes, so that its client recovers on another node even when this node dies without
   * keeping it ({@link #persist}), for up to {@code window} after this node's last sign of life.
   * {@code state} is read when the state is written, later than this call; the latest call for a
   * socket wins. Must return at once. By default nothing is kept: only disconnected sockets are.
   */
  default void connected(String namespace, String pid, Supplier<DisconnectedSocket> state, Duration window) {}

  /**
   * Forgets the connected state of the socket {@code pid} of {@code namespace}: it disconnected,
   * and is kept by {@link #persist} when it may recover. Must return at once.
   */
  default void disconnected(String namespace, String pid) {}

  /**
   * Takes back the socket {@code pid} of {@code namespace} with what it missed after
   * {@code offset}; empty when it is no longer kept, or when what it missed is not all kept.
   *
   * <p>What it missed is read only once {@code listening}, called with the socket taken back,
   * completes: by then the caller receives (and holds) what the socket's rooms get live, so that
   * nothing published between the read and the first live broadcast is lost. The broadcasts both
   * read and held are told apart by {@link RecoveredSocket#replayed()}. The restore fails when
   * {@code listening} does. It finds nothing (empty) as well when what the socket missed is more
   * than {@code maxBytes}, so that one recovery never reads more than a namespace may keep.
   */
  CompletableFuture<Optional<RecoveredSocket>> restore(String namespace, String pid, String offset, long maxBytes,
      Function<DisconnectedSocket, CompletableFuture<Void>> listening);
}
