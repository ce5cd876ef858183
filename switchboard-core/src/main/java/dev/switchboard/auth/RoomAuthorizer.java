package dev.switchboard.auth;

import dev.switchboard.auth.internal.RuleAuthorizer;
import dev.switchboard.auth.internal.WebhookAuthorizer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Decides whether a principal may join or publish to a room, on every request. Must not block:
 * return a future completed later for slow decisions. An application's own callback is a lambda.
 */
@FunctionalInterface
public interface RoomAuthorizer {
  /** Allows everything. */
  RoomAuthorizer ALLOW_ALL = (principal, room, action) -> CompletableFuture.completedFuture(RoomDecision.ALLOW);

  CompletableFuture<RoomDecision> authorize(VerifiedToken principal, String room, RoomAction action);

  /** Allowed only when this and {@code other} both allow ({@code other} is asked only then). */
  default RoomAuthorizer and(RoomAuthorizer other) {
    return (principal, room, action) -> authorize(principal, room, action).thenCompose(decision ->
        decision.allowed() ? other.authorize(principal, room, action) : CompletableFuture.completedFuture(decision));
  }

  /** Room-name patterns with claim conditions; the first matching rule decides, none matching refuses. */
  static RoomAuthorizer rules(List<RoomRule> rules) {
    return new RuleAuthorizer(rules);
  }

  /**
   * Asks the application's backend: {@code POST url} with {@code {room, action, principal: {sub, claims}}},
   * expecting {@code 200 {allow: boolean, message?}}. Answers are cached for {@code cacheTtl};
   * a backend that fails or takes longer than {@code timeout} yields {@link AuthError#AUTHZ_UNAVAILABLE}.
   */
  static RoomAuthorizer webhook(URI url, Duration timeout, Duration cacheTtl) {
    return new WebhookAuthorizer(url, timeout, cacheTtl);
  }
}
