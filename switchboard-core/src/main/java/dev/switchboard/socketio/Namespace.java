package dev.switchboard.socketio;

import dev.switchboard.rooms.Rooms;
import dev.switchboard.presence.PresenceMember;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A namespace: a group of sockets with its own middlewares, connection listeners and rooms.
 * Broadcast methods act on every socket of the namespace (of every child, for a dynamic one).
 */
public interface Namespace extends BroadcastOperator {
  /** How long {@link #serverSideEmitWithAck(String, Object...)} waits for the other nodes. */
  Duration DEFAULT_SERVER_EVENT_TIMEOUT = Duration.ofSeconds(5);

  String name();

  /** Adds a listener told of each socket that joins, on the socket's event loop. */
  Namespace onConnection(Consumer<Socket> listener);

  /** Node-style alias of {@link #onConnection}: {@code event} must be "connection" or "connect". */
  default Namespace on(String event, Consumer<Socket> listener) {
    if (!event.equals("connection") && !event.equals("connect")) {
      throw new IllegalArgumentException("a namespace emits only \"connection\"; got \"" + event + "\"");
    }
    return onConnection(listener);
  }

  /** Adds a middleware run before each socket joins. */
  Namespace use(Middleware middleware);

  /** The sockets connected to this namespace on this node, by id. */
  Map<String, Socket> sockets();

  /**
   * Who is in {@code room}, each user once (rooms tracked by the presence rules of
   * {@link SocketIoOptions#presence()}; empty otherwise, and for a dynamic namespace family).
   * Blocks the calling thread while a cluster's shared store answers: on an event loop (in a
   * listener or middleware) use {@link #presenceAsync} instead.
   */
  default List<PresenceMember> presence(String room) {
    return List.of();
  }

  /**
   * Who is in {@code room}, as {@link #presence} but without blocking: completes once a cluster's
   * shared store answers (at once on a single node), on the store's thread.
   */
  default CompletionStage<List<PresenceMember>> presenceAsync(String room) {
    return CompletableFuture.completedFuture(presence(room));
  }

  /**
   * Promises {@code memberId} (a {@link PresenceMember#id()}) a place in {@code room} for
   * {@code hold}, unless the room already has {@code maxMembers} other members, present or holding
   * a place; completes with true when the member is present, holds a place or got one. Caps a room
   * at a number of users: ask first, then join the promised member's socket, which is counted from
   * the promise on (on every node of a cluster: the check and the promise are one step of the shared
   * store, so two nodes never both give the last place). The place is given up when the member's
   * connection is recorded in the room's presence, and lapses after {@code hold} if that never
   * comes. Rooms without presence (see {@link SocketIoOptions#presence()}) count places only. The
   * default compares with {@link #presenceAsync} and is not atomic.
   */
  default CompletionStage<Boolean> reservePresence(String room, String memberId, int maxMembers, Duration hold) {
    return presenceAsync(room).thenApply(members ->
        members.size() < maxMembers || members.stream().anyMatch(member -> member.id().equals(memberId)));
  }

  /**
   * Who is in {@code room}, without blocking.
   *
   * @deprecated use {@link #presenceAsync}, the same answer as a {@link CompletionStage}
   */
  @Deprecated
  default CompletableFuture<List<PresenceMember>> fetchPresence(String room) {
    return presenceAsync(room).toCompletableFuture();
  }

  /**
   * Adds a listener of {@code event} sent by the other nodes of the cluster with
   * {@link #serverSideEmit} or {@link #serverSideEmitWithAck} (Node's {@code io.on(event, ...)}
   * for server-side events). A node does not hear its own server-side events.
   */
  default Namespace onServerEvent(String event, ServerEventListener listener) {
    throw new UnsupportedOperationException("server-side events need a static namespace");
  }

  /**
   * Sends {@code event} to the server-side listeners of this namespace on every other node of the
   * cluster; nothing on a single node. Reserved names ({@code connect}, {@code disconnect}, ...) are refused.
   */
  default void serverSideEmit(String event, Object... args) {
    throw new UnsupportedOperationException("server-side events need a static namespace");
  }

  /**
   * Like {@link #serverSideEmit}, waiting for one answer from each other node that listens for
   * {@code event}, at most 5 s: completes with the answers, or fails with
   * {@link AckTimeoutException} holding the answers that came. On a single node, completes at once
   * with none.
   */
  default CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args) {
    return serverSideEmitWithAck(DEFAULT_SERVER_EVENT_TIMEOUT, event, args);
  }

  /** {@link #serverSideEmitWithAck(String, Object...)} waiting at most {@code timeout}. */
  default CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
    throw new UnsupportedOperationException("server-side events need a static namespace");
  }

  /**
   * Adds a listener of rooms of this namespace gaining their first member and losing their last
   * one, over the whole cluster ({@link OccupancyListener}). Add it before clients connect: rooms
   * joined before are not followed.
   */
  default Namespace onRoomOccupancy(OccupancyListener listener) {
    throw new UnsupportedOperationException("room occupancy needs a static namespace");
  }

  /**
   * Adds a listener of members entering and leaving this namespace's rooms that track presence
   * ({@link SocketIoOptions#presence()}), once over the cluster ({@link PresenceListener}).
   */
  default Namespace onPresence(PresenceListener listener) {
    throw new UnsupportedOperationException("presence listeners need a static namespace");
  }

  /** Broadcasts to the per-user room of {@code userId}. */
  default BroadcastOperator toUser(String userId) {
    return to(Rooms.user(userId));
  }
}
