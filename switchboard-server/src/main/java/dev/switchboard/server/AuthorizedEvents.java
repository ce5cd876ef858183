package dev.switchboard.server;

import dev.switchboard.auth.RoomAction;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.server.messages.Dedupe;
import dev.switchboard.server.messages.PublishListener;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code room:join} and {@code room:publish} of authenticated sockets, each decided by the authorizer. */
final class AuthorizedEvents {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private AuthorizedEvents() {}

  static CompletableFuture<?> join(Socket socket, Event event, RoomAuthorizer authorizer, RoomEntry entry) {
    Optional<String> named = RoomRequests.room(event);
    if (named.isEmpty()) {
      return DONE;
    }
    String room = named.get();
    Optional<RoomRules.Refusal> refusal = RoomRules.checkJoinAuthenticated(room);
    if (refusal.isPresent()) {
      event.ack(Answers.error(refusal.get().code(), refusal.get().message()));
      return DONE;
    }
    return decide(socket, event, authorizer, room, RoomAction.JOIN,
        () -> RoomMembership.overRoomCap(socket, room, event) ? DONE : RoomMembership.enter(socket, room, event, entry));
  }

  static CompletableFuture<?> publish(Socket socket, Event event, RoomAuthorizer authorizer, Dedupe dedupe,
      PublishListener published) {
    return RoomPublish.publishableRoom(socket, event)
        .<CompletableFuture<?>>map(room -> decide(socket, event, authorizer, room, RoomAction.PUBLISH,
            () -> RoomPublish.deliver(socket, event, room, dedupe, published)))
        .orElse(DONE);
  }

  /**
   * Asks the authorizer, then on the socket's loop runs {@code allowed} or answers the refusal;
   * completes when what {@code allowed} started is done.
   */
  private static CompletableFuture<?> decide(Socket socket, Event event, RoomAuthorizer authorizer, String room,
      RoomAction action, Supplier<CompletableFuture<?>> allowed) {
    VerifiedToken principal = SocketAuthentication.principal(socket).orElse(null);
    if (principal == null) {
      event.ack(Answers.error("AUTH_REQUIRED", "this connection is not authenticated"));
      return DONE;
    }
    CompletableFuture<RoomDecision> decision;
    try {
      decision = authorizer.authorize(principal, room, action);
    } catch (RuntimeException e) {
      decision = CompletableFuture.failedFuture(e);
    }
    Function<RoomDecision, CompletableFuture<Void>> answer = result -> {
      if (result.allowed()) {
        return allowed.get().thenApply(done -> null);
      }
      event.ack(Answers.error(result.error().orElseThrow().name(), result.message().orElseThrow()));
      return DONE;
    };
    CompletableFuture<RoomDecision> safe = decision.exceptionally(error ->
        RoomDecision.deny(dev.switchboard.auth.AuthError.AUTHZ_UNAVAILABLE, "the room could not be authorized"));
    if (safe.isDone()) {
      return answer.apply(safe.join());
    }
    return safe.thenComposeAsync(answer, socket.executor());
  }
}
