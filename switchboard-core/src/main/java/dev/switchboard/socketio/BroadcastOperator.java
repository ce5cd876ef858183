package dev.switchboard.socketio;

import dev.switchboard.history.StreamPosition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Selects sockets of a namespace and acts on them, as Node's {@code io.to(room)}. Immutable:
 * each method returns a new operator. A broadcast is encoded once and the same bytes are
 * shared by every recipient.
 */
public interface BroadcastOperator {
  /** Adds rooms to target; with none, the whole namespace is targeted. */
  BroadcastOperator to(String... rooms);

  default BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Excludes the sockets in {@code rooms} (a socket id excludes that socket). */
  BroadcastOperator except(String... rooms);

  /** Only this node's sockets (matters in a cluster). */
  BroadcastOperator local();

  /** Skips sockets that cannot take the message right away instead of queuing it. */
  BroadcastOperator asVolatile();

  /** How long {@link #emitWithAck} waits for all acknowledgements. */
  BroadcastOperator timeout(Duration timeout);

  /**
   * Keeps the broadcast out of room history: every selected socket and SSE stream still gets it,
   * and connection state recovery still replays it to a client that was briefly away, but a
   * client resuming from history later does not (for short-lived messages, such as call signals,
   * that would crowd a room's history out).
   */
  BroadcastOperator withoutHistory();

  /** Sends {@code event} to every selected socket. */
  void emit(String event, Object... args);

  /**
   * Sends {@code event} as {@link #emit} does and tells where it was kept: completes with its
   * position in its room's history, or empty when no history keeps it (a target of several rooms
   * or of none, a room without history, a volatile broadcast, a history that could not be
   * written). A kept message whose last argument is a JSON object (a {@code Map} or an
   * {@code ObjectNode}) reaches every recipient, and every replay by connection state recovery on
   * this node, with a copy of that object holding the field {@code position} ({@code epoch:offset},
   * see {@link StreamPosition}). On a cluster it completes once the shared streams have kept it.
   */
  CompletableFuture<Optional<StreamPosition>> emitWithPosition(String event, Object... args);

  /**
   * Sends {@code event} and collects one acknowledgement per socket, in a cluster from the
   * selected sockets of every node. Fails with {@link AckTimeoutException} (holding the answers
   * received) when some are missing at the timeout.
   */
  CompletableFuture<List<Args>> emitWithAck(String event, Object... args);

  /**
   * Makes the selected sockets join {@code rooms}; completes once broadcasts to those rooms,
   * published on any node, reach them, with how many sockets were selected (those already in the
   * rooms too). In a cluster each node counts the sockets it acted on, as it acts; a node that does
   * not answer within the request timeout is not counted.
   */
  CompletableFuture<Integer> socketsJoin(String... rooms);

  /** Makes the selected sockets leave {@code rooms}; completes with how many were selected, counted as {@link #socketsJoin} counts. */
  CompletableFuture<Integer> socketsLeave(String... rooms);

  /**
   * Disconnects the selected sockets, with {@code close} their connections too; completes with how
   * many were selected, counted as {@link #socketsJoin} counts.
   */
  CompletableFuture<Integer> disconnectSockets(boolean close);

  /** Snapshots of the selected sockets. */
  CompletableFuture<List<RemoteSocket>> fetchSockets();
}
