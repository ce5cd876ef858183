package dev.switchboard.server.chat;

import dev.switchboard.http.HttpExchange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides who may ask the model, before it is asked: the caller (whose limits apply) or a
 * refusal answered as {@code status {code, message}}.
 */
@FunctionalInterface
public interface ChatAccess {
  /** The decision on {@code request}; may complete on any thread. */
  CompletionStage<Verdict> admit(HttpExchange exchange, ChatRequest request);

  /** What {@link #admit} decides. */
  sealed interface Verdict permits Caller, Refused {}

  /**
   * Admitted.
   *
   * @param key whom the limits count against: {@code user:{sub}}, or {@code ip:{address}} in open mode
   */
  record Caller(String key) implements Verdict {}

  /** Refused with an HTTP status and a stable code. */
  record Refused(int status, String code, String message) implements Verdict {}

  /**
   * Anyone may ask, and publish into any conversation room; the limits count per IP address
   * (the connection's peer; behind a proxy, the proxy's).
   */
  static ChatAccess open() {
    return (exchange, request) -> CompletableFuture.completedFuture(new Caller("ip:" + exchange.remoteIp()));
  }
}
