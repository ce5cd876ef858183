package dev.switchboard.socketio.internal;

import dev.switchboard.history.StreamPosition;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.RemoteSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The broadcast methods of a namespace, written once: each starts from {@link #all()}, the
 * operator that selects every socket of the namespace.
 */
abstract class NamespaceBroadcasts implements BroadcastOperator {
  /** The operator selecting every socket of the namespace. */
  abstract BroadcastOperator all();

  @Override
  public final BroadcastOperator to(String... rooms) {
    return all().to(rooms);
  }

  @Override
  public final BroadcastOperator except(String... rooms) {
    return all().except(rooms);
  }

  @Override
  public final BroadcastOperator local() {
    return all().local();
  }

  @Override
  public final BroadcastOperator asVolatile() {
    return all().asVolatile();
  }

  @Override
  public final BroadcastOperator withoutHistory() {
    return all().withoutHistory();
  }

  @Override
  public final BroadcastOperator timeout(Duration timeout) {
    return all().timeout(timeout);
  }

  @Override
  public final void emit(String event, Object... args) {
    all().emit(event, args);
  }

  @Override
  public final CompletableFuture<Optional<StreamPosition>> emitWithPosition(String event, Object... args) {
    return all().emitWithPosition(event, args);
  }

  @Override
  public final CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return all().emitWithAck(event, args);
  }

  @Override
  public final CompletableFuture<Integer> socketsJoin(String... rooms) {
    return all().socketsJoin(rooms);
  }

  @Override
  public final CompletableFuture<Integer> socketsLeave(String... rooms) {
    return all().socketsLeave(rooms);
  }

  @Override
  public final CompletableFuture<Integer> disconnectSockets(boolean close) {
    return all().disconnectSockets(close);
  }

  @Override
  public final CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return all().fetchSockets();
  }
}
