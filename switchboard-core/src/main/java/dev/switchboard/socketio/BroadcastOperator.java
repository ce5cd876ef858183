package dev.switchboard.socketio;

import java.time.Duration;
import java.util.List;
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

  /** Sends {@code event} to every selected socket. */
  void emit(String event, Object... args);

  /**
   * Sends {@code event} and collects one acknowledgement per socket, in a cluster from the
   * selected sockets of every node. Fails with {@link AckTimeoutException} (holding the answers
   * received) when some are missing at the timeout.
   */
  CompletableFuture<List<Args>> emitWithAck(String event, Object... args);

  /** Makes the selected sockets join {@code rooms}. */
  CompletableFuture<Void> socketsJoin(String... rooms);

  /** Makes the selected sockets leave {@code rooms}. */
  CompletableFuture<Void> socketsLeave(String... rooms);

  /** Disconnects the selected sockets; with {@code close}, closes their connections too. */
  CompletableFuture<Void> disconnectSockets(boolean close);

  /** Snapshots of the selected sockets. */
  CompletableFuture<List<RemoteSocket>> fetchSockets();
}
