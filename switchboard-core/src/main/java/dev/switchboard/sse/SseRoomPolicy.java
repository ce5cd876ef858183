package dev.switchboard.sse;

import dev.switchboard.http.HttpExchange;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Decides whether the client making {@code request} may subscribe to {@code room} over SSE. */
@FunctionalInterface
public interface SseRoomPolicy {
  /** Any room. */
  SseRoomPolicy ALLOW_ALL = (request, room) -> Optional.empty();

  /** Empty to allow; a refusal otherwise. Called on an event loop: must not block. */
  Optional<Refusal> check(HttpExchange request, String room);

  /**
   * Decides a whole subscription, possibly asynchronously (a token to verify, a backend to ask),
   * and may add rooms (a user's own room). Called on an event loop: must not block; the stream
   * opens once the answer arrives. The default checks each room with {@link #check}.
   */
  default CompletionStage<Admission> admit(HttpExchange request, Set<String> rooms) {
    for (String room : rooms) {
      Optional<Refusal> refusal = check(request, room);
      if (refusal.isPresent()) {
        return CompletableFuture.completedFuture(Admission.refused(refusal.get()));
      }
    }
    return CompletableFuture.completedFuture(Admission.rooms(rooms));
  }

  /**
   * The answer to {@link #admit}: the rooms to follow, or a refusal; and when the subscription
   * lapses (empty: never), such as when the token it was admitted with expires. A stream still
   * open then gets {@code event: auth:expired} and ends.
   */
  record Admission(Set<String> rooms, Optional<Refusal> refusal, Optional<Instant> expiresAt) {
    public Admission {
      Objects.requireNonNull(rooms, "rooms");
      Objects.requireNonNull(refusal, "refusal");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public static Admission rooms(Set<String> rooms) {
      return new Admission(new LinkedHashSet<>(rooms), Optional.empty(), Optional.empty());
    }

    public static Admission refused(Refusal refusal) {
      return new Admission(Set.of(), Optional.of(refusal), Optional.empty());
    }

    /** The same admission, lapsing at {@code expiresAt}. */
    public Admission until(Instant expiresAt) {
      return new Admission(rooms, refusal, Optional.of(expiresAt));
    }
  }

  /**
   * Why a subscription is refused; answered as HTTP {@code status} with {@code {code, message}}.
   */
  record Refusal(int status, String code, String message) {}
}
