package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.ForwardedPoll;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A polling request another node received for one of this node's sessions: the answer completes
 * {@link #answer()}, which the relay carries back. Its client going away is reported by that node
 * ({@link PollRequests#onAbandoned}). Used on the session's event loop.
 */
final class RelayedPoll implements PollExchange {
  private final String id;
  private final CompletableFuture<ForwardedPoll.Answer> answer = new CompletableFuture<>();
  /** When this node got it: the receiving node's clock is not this one's. */
  private final long arrivedAt = System.nanoTime();
  private Runnable onGone;

  RelayedPoll(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }

  CompletableFuture<ForwardedPoll.Answer> answer() {
    return answer;
  }

  @Override
  public long arrivedAt() {
    return arrivedAt;
  }

  @Override
  public ByteBufAllocator alloc() {
    return ByteBufAllocator.DEFAULT;
  }

  @Override
  public void respond(HttpResponseStatus status, CharSequence contentType, ByteBuf body) {
    try {
      // Polling payloads are text: binary packets travel base64-encoded.
      answer.complete(new ForwardedPoll.Answer(status.code(), contentType.toString(), body.toString(StandardCharsets.UTF_8)));
    } finally {
      body.release();
    }
  }

  @Override
  public void respondError(EngineError error) {
    answer.complete(new ForwardedPoll.Answer(error.status().code(), "application/json", error.json()));
  }

  @Override
  public void watchClient(Runnable onGone) {
    this.onGone = onGone;
  }

  /** The receiving node reported the client gone while this poll waited. */
  void clientGone() {
    Runnable gone = onGone;
    if (gone != null) {
      gone.run();
    }
  }
}
