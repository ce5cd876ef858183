package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.SocketIoServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code join}, {@code leave} and {@code disconnect}: act on the sockets of a user (every tab and
 * device) or on one socket, on whichever node they are connected to. They act on the sockets
 * connected now; a user's later connections are not affected. Each answers how many sockets it
 * acted on: every node counts its own as it acts (no count read before acting, which a connection
 * or disconnection in between would make wrong), and the counts come back with the nodes' replies.
 */
final class MembershipOperations {
  private static final Logger log = LoggerFactory.getLogger(MembershipOperations.class);
  /** Longest disconnect reason accepted. */
  static final int MAX_REASON_LENGTH = 200;

  private final SocketIoServer io;

  MembershipOperations(SocketIoServer io) {
    this.io = io;
  }

  /** {@code join {user | socket, room}}: answered once broadcasts to the room, from any node, reach the sockets. */
  CompletableFuture<Map<String, Object>> join(JsonNode json) {
    Params params = Params.of(json);
    String target = params.userOrSocket();
    String room = params.room("room");
    return answered(io.in(target).socketsJoin(room), "join");
  }

  /** {@code leave {user | socket, room}}. */
  CompletableFuture<Map<String, Object>> leave(JsonNode json) {
    Params params = Params.of(json);
    String target = params.userOrSocket();
    String room = params.room("room");
    return answered(io.in(target).socketsLeave(room), "leave");
  }

  /**
   * {@code disconnect {user | socket, reason?}}: the sockets get a Socket.IO disconnect (their
   * client reports "io server disconnect" and does not reconnect by itself); the reason is logged.
   */
  CompletableFuture<Map<String, Object>> disconnect(JsonNode json) {
    Params params = Params.of(json);
    String target = params.userOrSocket();
    String reason = params.optionalString("reason", MAX_REASON_LENGTH).orElse("none given");
    log.info("server API: disconnecting {} (reason: {})", target, reason);
    return answered(io.in(target).disconnectSockets(false), "disconnect");
  }

  /** {@code {ok: true, sockets}}: how many sockets each node acted on, summed over the nodes that answered. */
  private static CompletableFuture<Map<String, Object>> answered(CompletableFuture<Integer> done, String what) {
    return done.handle((sockets, failure) -> {
      if (failure != null) {
        throw ApiError.unavailable("the " + what + " could not reach every node; try again");
      }
      return ApiJson.ok(Map.of("sockets", sockets));
    });
  }
}
