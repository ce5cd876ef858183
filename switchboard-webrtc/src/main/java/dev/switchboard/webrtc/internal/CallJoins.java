package dev.switchboard.webrtc.internal;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.JoinResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Joins of call rooms within the mesh limit: a place is promised by the namespace's presence (one
 * atomic step on every node of a cluster), then the socket joins, then the answer waits for this
 * node's presence to have recorded it, so that once a join is answered every node sees the new
 * member and signals to them pass.
 */
public final class CallJoins {
  /**
   * How long a promised place is held for a member who has not shown up in presence yet; the
   * socket joins right after the promise, so this only matters when it disconnects in between.
   */
  public static final Duration PLACE_HOLD = Duration.ofSeconds(5);

  private final Namespace namespace;
  private final PresenceIdentity identity;
  private final int meshLimit;

  public CallJoins(Namespace namespace, PresenceIdentity identity, int meshLimit) {
    this.namespace = namespace;
    this.identity = identity;
    this.meshLimit = meshLimit;
  }

  /** Joins {@code room}: any room at once, a call room within the limit (answered on the socket's loop). */
  public CompletableFuture<JoinResult> join(Socket socket, String room) {
    if (!CallRooms.isCallRoom(room)) {
      socket.join(room);
      return CompletableFuture.completedFuture(new JoinResult.Joined(room));
    }
    if (socket.rooms().contains(room)) {
      return CompletableFuture.completedFuture(new JoinResult.Joined(room));
    }
    CompletableFuture<Boolean> place = meshLimit == 0 ? CompletableFuture.completedFuture(true)
        : namespace.reservePresence(room, identity.identify(socket).id(), meshLimit, PLACE_HOLD).toCompletableFuture();
    return place.thenComposeAsync(admitted -> {
      if (!admitted) {
        return CompletableFuture.completedFuture(new JoinResult.CallFull(room, meshLimit));
      }
      socket.join(room);
      // On this loop the join has just queued the presence write; a read after it completes once it is done.
      return namespace.presenceAsync(room).toCompletableFuture()
          .handleAsync((members, error) -> (JoinResult) new JoinResult.Joined(room), socket.executor());
    }, socket.executor());
  }
}
