package dev.switchboard.sse;

import dev.switchboard.http.HttpExchange;
import java.util.Optional;

/** Decides whether the client making {@code request} may subscribe to {@code room} over SSE. */
@FunctionalInterface
public interface SseRoomPolicy {
  /** Any room. */
  SseRoomPolicy ALLOW_ALL = (request, room) -> Optional.empty();

  /** Empty to allow; a refusal otherwise. Called on an event loop: must not block. */
  Optional<Refusal> check(HttpExchange request, String room);

  /**
   * Why a subscription is refused; answered as HTTP {@code status} with {@code {code, message}}.
   */
  record Refusal(int status, String code, String message) {}
}
