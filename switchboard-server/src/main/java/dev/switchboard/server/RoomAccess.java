package dev.switchboard.server;

import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.server.config.AuthConfig;
import dev.switchboard.rooms.Rooms;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The authorizer of an authenticated standalone server: a per-user room is its owner's alone;
 * every other room is decided by the room rules, then the webhook, then the application's own
 * authorizer (each asked only when the previous allowed); with none of them, any user may join
 * and publish to any other room.
 */
final class RoomAccess {
  private RoomAccess() {}

  static RoomAuthorizer authorizer(AuthConfig auth, Optional<RoomAuthorizer> application) {
    RoomAuthorizer others = Stream.of(auth.rules().map(RoomAuthorizer::rules),
            auth.webhook().map(url -> RoomAuthorizer.webhook(url, auth.webhookTimeout(), auth.cacheTtl())), application)
        .flatMap(Optional::stream)
        .reduce(RoomAuthorizer::and)
        .orElse(RoomAuthorizer.ALLOW_ALL);
    return (principal, room, action) -> {
      if (room.startsWith(Rooms.USER_PREFIX)) {
        return CompletableFuture.completedFuture(room.equals(Rooms.user(principal.subject())) ? RoomDecision.ALLOW
            : RoomDecision.forbidden("another user's room"));
      }
      return others.authorize(principal, room, action);
    };
  }
}
