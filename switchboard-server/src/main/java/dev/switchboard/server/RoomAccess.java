package dev.switchboard.server;

import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.server.config.AuthConfig;
import dev.switchboard.rooms.Rooms;
import java.util.concurrent.CompletableFuture;

/**
 * The authorizer of an authenticated standalone server: a per-user room is its owner's alone;
 * every other room is decided by the room rules, then the webhook, then the application's own
 * authorizer (each asked only when the previous allowed); with none of them, any user may join
 * and publish to any other room.
 */
final class RoomAccess {
  private RoomAccess() {}

  static RoomAuthorizer authorizer(AuthConfig auth, RoomAuthorizer application) {
    RoomAuthorizer configured = null;
    if (auth.rules() != null) {
      configured = RoomAuthorizer.rules(auth.rules());
    }
    if (auth.webhook() != null) {
      RoomAuthorizer webhook = RoomAuthorizer.webhook(auth.webhook(), auth.webhookTimeout(), auth.cacheTtl());
      configured = configured == null ? webhook : configured.and(webhook);
    }
    if (application != null) {
      configured = configured == null ? application : configured.and(application);
    }
    RoomAuthorizer others = configured == null ? RoomAuthorizer.ALLOW_ALL : configured;
    return (principal, room, action) -> {
      if (room.startsWith(Rooms.USER_PREFIX)) {
        return CompletableFuture.completedFuture(room.equals(Rooms.user(principal.subject())) ? RoomDecision.ALLOW
            : RoomDecision.forbidden("another user's room"));
      }
      return others.authorize(principal, room, action);
    };
  }
}
