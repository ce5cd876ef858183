package dev.switchboard.auth;

import dev.switchboard.auth.internal.AuthFailures;
import dev.switchboard.auth.internal.TokenSources;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.sse.SseRoomPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link SseRoomPolicy} for authenticated streams: the token comes from the {@code token}
 * query parameter, {@code Authorization: Bearer} or the cookie; a missing or bad one is answered
 * {@code 401 {code, message}}. Each room passes {@code names} (well-formed names) and then
 * {@code authorizer} ({@code 403 FORBIDDEN_ROOM}, {@code 503 AUTHZ_UNAVAILABLE}); the stream
 * also follows the user's own room {@code user:{sub}}, and ends with {@code event: auth:expired}
 * when the token expires (plus the clock skew): an {@code EventSource} cannot change its URL, so
 * the application opens a new one with a fresh token.
 */
public final class SseAuthentication implements SseRoomPolicy {
  private final TokenVerifier verifier;
  private final AuthOptions options;
  private final RoomAuthorizer authorizer;
  private final SseRoomPolicy names;
  private final AuthFailures failures;

  public SseAuthentication(TokenVerifier verifier, AuthOptions options, RoomAuthorizer authorizer, SseRoomPolicy names) {
    this(verifier, options, authorizer, names, AuthFailures.NONE);
  }

  private SseAuthentication(TokenVerifier verifier, AuthOptions options, RoomAuthorizer authorizer, SseRoomPolicy names,
      AuthFailures failures) {
    this.verifier = verifier;
    this.options = options;
    this.authorizer = authorizer;
    this.names = names;
    this.failures = failures;
  }

  /**
   * The same policy, counting the streams it refuses for an {@link AuthError} in {@code registry}
   * ({@code switchboard.auth.failures}, transport {@code sse}).
   */
  public SseAuthentication withMeterRegistry(MeterRegistry registry) {
    return new SseAuthentication(verifier, options, authorizer, names, AuthFailures.in(Optional.of(registry), "sse"));
  }

  @Override
  public Optional<Refusal> check(HttpExchange request, String room) {
    return names.check(request, room);
  }

  @Override
  public CompletionStage<Admission> admit(HttpExchange request, Set<String> rooms) {
    for (String room : rooms) {
      Optional<Refusal> refusal = names.check(request, room);
      if (refusal.isPresent()) {
        return CompletableFuture.completedFuture(Admission.refused(refusal.get()));
      }
    }
    Optional<String> token = TokenSources.fromRequest(request, options.cookieName());
    if (token.isEmpty()) {
      return CompletableFuture.completedFuture(Admission.refused(refusal(AuthError.AUTH_REQUIRED, AuthError.AUTH_REQUIRED.defaultMessage())));
    }
    return verifier.verify(token.get()).handle((principal, error) -> {
      if (error != null) {
        AuthException refused = SocketAuthentication.unwrap(error);
        return CompletableFuture.completedFuture(Admission.refused(refusal(refused.error(), refused.getMessage())));
      }
      return authorizeAll(principal, rooms);
    }).thenCompose(admission -> admission);
  }

  private CompletableFuture<Admission> authorizeAll(VerifiedToken principal, Set<String> rooms) {
    List<CompletableFuture<RoomDecision>> decisions = new ArrayList<>();
    for (String room : rooms) {
      decisions.add(authorizer.authorize(principal, room, RoomAction.JOIN));
    }
    return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).thenApply(done -> {
      for (CompletableFuture<RoomDecision> decision : decisions) {
        RoomDecision answer = decision.join();
        if (!answer.allowed()) {
          return Admission.refused(refusal(answer.error().orElseThrow(), answer.message().orElseThrow()));
        }
      }
      Set<String> follow = new LinkedHashSet<>(rooms);
      follow.add(Rooms.user(principal.subject()));
      // The stream lapses when a socket with this token would be disconnected: exp plus the skew.
      Admission admitted = Admission.rooms(follow);
      return principal.expiry().map(exp -> admitted.until(exp.plus(options.clockSkew()))).orElse(admitted);
    });
  }

  private Refusal refusal(AuthError error, String message) {
    failures.count(error);
    return new Refusal(error.httpStatus(), error.name(), message);
  }
}
