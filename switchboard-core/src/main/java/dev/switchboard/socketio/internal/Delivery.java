package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.Cluster;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.SocketIoOptions;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How broadcasts reach their members, chosen once when the server starts: on this node alone, on
 * every node over the cluster's pub/sub, or through the cluster's shared streams. It owns what
 * follows from that choice: where room history and connection state recovery are kept. Every
 * broadcast takes the same line through it; no caller asks which one it is.
 */
sealed interface Delivery permits LocalDelivery, ClusterDelivery {
  CompletableFuture<Optional<StreamPosition>> NOT_KEPT = CompletableFuture.completedFuture(Optional.empty());

  /**
   * The delivery of a server that is a node of {@code cluster}, or alone when it is empty; history
   * kept in this process is charged to {@code retained}.
   */
  static Delivery of(Optional<Cluster> cluster, SocketIoOptions options, RetainedBytes retained) {
    return cluster.map(node -> node.streams().<Delivery>map(
            streams -> new SharedStreamsDelivery(node.adapter(), streams, options.history()))
        .orElseGet(() -> new PubSubDelivery(node.adapter(), keptHere(options, retained))))
        .orElseGet(() -> new LocalDelivery(keptHere(options, retained)));
  }

  private static InMemoryRoomHistory keptHere(SocketIoOptions options, RetainedBytes retained) {
    return new InMemoryRoomHistory(options.history(), Clock.systemUTC(), retained);
  }

  /** Where room messages are kept for resuming and catching up: in this process, or shared by the cluster. */
  RoomHistory history();

  /**
   * Broadcasts {@code event(args)} of {@code nsp} to {@code target}; completes with its position
   * in the room's history when it is kept there ({@code keep}: the caller asked for it).
   */
  CompletableFuture<Optional<StreamPosition>> broadcast(RealNamespace nsp, String event, Object[] args,
      BroadcastTarget target, boolean keep, boolean positioned);

  /** Delivers a broadcast another node published to this node's members of {@code nsp}. */
  void fromCluster(RealNamespace nsp, ClusterBroadcast message, Object[] args);

  /**
   * Emits {@code event(args)} to one socket of a namespace that keeps packets for recovery; by
   * default through this node's recovery log.
   */
  default void emitRecoverable(RealNamespace nsp, RealSocket socket, String event, Object[] args) {
    socket.emitLogged(event, args);
  }

  /**
   * Keeps a socket of {@code nsp} (which recovers) that lost its connection, for recovery;
   * completes once it is kept. By default in this node's recovery log.
   */
  default CompletableFuture<Void> persist(RealNamespace nsp, String sid, String pid, Set<String> rooms,
      Map<String, Object> data) {
    nsp.recovery().persist(sid, pid, rooms, data);
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The rooms (and so maybe the data) of {@code socket} of {@code nsp}, connected and recoverable,
   * changed; on its loop, must not block. By default nothing follows: only a node that can die
   * without keeping its sockets, and another one recover them, keeps their state as it changes.
   */
  default void changed(RealNamespace nsp, RealSocket socket) {}

  /** The recoverable {@code socket} of {@code nsp} disconnected; on its loop, after {@link #persist} when it is kept. */
  default void gone(RealNamespace nsp, RealSocket socket) {}

  /**
   * Takes back the socket {@code pid} of a client that resumes after {@code offset}, with what it
   * missed, through {@code pipeline}; by default from this node's recovery log. The client gets a
   * fresh socket when it cannot be recovered. On the client's loop.
   */
  default void recover(ConnectPipeline pipeline, Client client, Handshake handshake, String pid, String offset) {
    pipeline.recoverLocal(client, handshake, pid, offset);
  }

  /**
   * Keeps {@code sockets} of {@code nsp} (which recovers) where any node can recover them, as a
   * shutdown is about to close them all; completes when they are kept. By default at once: only
   * this node could recover them.
   */
  default CompletableFuture<Void> persistForShutdown(RealNamespace nsp, Collection<RealSocket> sockets) {
    return CompletableFuture.completedFuture(null);
  }

  /** Starts following which rooms of {@code nsp} have members on this node, where the cluster needs to know. */
  void followRooms(RealNamespace nsp);

  /** Completes once broadcasts to {@code room} of namespace {@code nsp}, published on any node, reach this node. */
  CompletableFuture<Void> listening(String nsp, String room);

  /** The position answer of a broadcast: a shared future when it is not kept. */
  static CompletableFuture<Optional<StreamPosition>> answer(Optional<StreamPosition> position) {
    return position.isEmpty() ? NOT_KEPT : CompletableFuture.completedFuture(position);
  }

  /** Where another node's broadcast goes on this node: its members only. */
  static BroadcastTarget here(ClusterBroadcast message) {
    return new BroadcastTarget(Set.copyOf(message.rooms()), message.except(), true, message.volatileDelivery());
  }
}
