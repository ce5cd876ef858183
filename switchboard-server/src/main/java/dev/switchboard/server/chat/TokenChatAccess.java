package dev.switchboard.server.chat;

import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.RoomAction;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.auth.internal.TokenSources;
import dev.switchboard.http.HttpExchange;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Chat for authenticated users only: the token comes from where SSE streams take it ({@code ?token=},
 * {@code Authorization: Bearer}, the cookie) and is refused with the same 401 codes; an answer
 * with a {@code conversationId} is published into {@code chat:{conversationId}} only when the
 * authorizer lets the user publish there (else {@code 403 FORBIDDEN_ROOM}).
 */
public final class TokenChatAccess implements ChatAccess {
  private final TokenVerifier verifier;
  private final AuthOptions options;
  private final RoomAuthorizer authorizer;

  public TokenChatAccess(TokenVerifier verifier, AuthOptions options, RoomAuthorizer authorizer) {
    this.verifier = verifier;
    this.options = options;
    this.authorizer = authorizer;
  }

  @Override
  public CompletionStage<Verdict> admit(HttpExchange exchange, ChatRequest request) {
    Optional<String> token = TokenSources.fromRequest(exchange, options.cookieName());
    if (token.isEmpty()) {
      return CompletableFuture.completedFuture(refused(AuthError.AUTH_REQUIRED, AuthError.AUTH_REQUIRED.defaultMessage()));
    }
    return verifier.verify(token.get()).handle((principal, error) -> {
      if (error != null) {
        AuthException refusal = SocketAuthentication.unwrap(error);
        return CompletableFuture.<Verdict>completedFuture(refused(refusal.error(), refusal.getMessage()));
      }
      return conversation(principal, request);
    }).thenCompose(verdict -> verdict);
  }

  private CompletableFuture<Verdict> conversation(VerifiedToken principal, ChatRequest request) {
    Caller caller = new Caller("user:" + principal.subject());
    if (request.conversationId().isEmpty()) {
      return CompletableFuture.completedFuture(caller);
    }
    CompletableFuture<RoomDecision> decision;
    try {
      decision = authorizer.authorize(principal, ChatRoute.room(request.conversationId().get()), RoomAction.PUBLISH);
    } catch (RuntimeException e) {
      decision = CompletableFuture.failedFuture(e);
    }
    return decision.handle((answer, error) -> {
      if (error != null) {
        return refused(AuthError.AUTHZ_UNAVAILABLE, "the conversation room could not be authorized");
      }
      return answer.allowed() ? caller : refused(answer.error().orElseThrow(), answer.message().orElseThrow());
    });
  }

  private static Verdict refused(AuthError error, String message) {
    return new Refused(error.httpStatus(), error.name(), message);
  }
}
