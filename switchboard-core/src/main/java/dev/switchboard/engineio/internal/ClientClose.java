package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.EventLoops;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A close the client asked for with a close packet over polling. As in Node, a pending poll ends
 * with a noop, and the session is gone for requests sent after the client was told its close was
 * done. Without a pending poll, the client's poll may be on its way on another loop: the close's
 * answer waits for it (which then gets the noop too), at most {@link #POLL_IN_FLIGHT_WAIT_MS}.
 * Loop-confined.
 */
final class ClientClose {
  /**
   * Longest wait for a poll that may be on its way when a client closes over polling. A client
   * holds one poll at a time; sent before the close on another connection, it may be read by
   * another event loop later than the close. Until that poll has come (or this time has passed),
   * the close is not answered and the session stays findable.
   */
  static final long POLL_IN_FLIGHT_WAIT_MS = 1_000;
  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

  private final RealEngineSession session;
  private final SessionRegistry registry;
  private boolean asked;
  /** When the client was told its close was done ({@link System#nanoTime()}); until then, the maximum. */
  private long answeredAt = Long.MAX_VALUE;
  /** The POST carrying the close, until it is answered; else null. */
  private PollExchange held;
  private ScheduledFuture<?> waitTask;

  ClientClose(RealEngineSession session, SessionRegistry registry) {
    this.session = session;
    this.registry = registry;
  }

  /** Whether the client ended the session with a close packet over polling. */
  boolean asked() {
    return asked;
  }

  /** Marks the session as closed by the client, before it closes. */
  void begin() {
    asked = true;
  }

  /** Holds the answer to {@code post}, the close's request, until the client's poll is accounted for. */
  void hold(PollExchange post, boolean pollPending, EventLoop loop) {
    held = post;
    if (pollPending) {
      answer();
    } else {
      waitTask = loop.schedule(this::answer, POLL_IN_FLIGHT_WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A poll for the closed session: one sent before the client knew its close was done gets the
   * last noop, as a poll pending at the close does, and releases the held answer. Returns false for
   * a poll sent later, which the session no longer knows.
   */
  boolean onLatePoll(PollExchange get) {
    if (!asked || get.arrivedAt() >= answeredAt) {
      return false;
    }
    PollingQueue.answerWith(get, EngineCodec.NOOP);
    if (held != null) {
      answer();
    }
    return true;
  }

  private void answer() {
    EventLoops.cancel(waitTask);
    PollExchange post = held;
    held = null;
    answeredAt = System.nanoTime();
    registry.remove(session);
    respondOk(post);
  }

  /** The answer to a polling POST whose packets were taken. */
  static void respondOk(PollExchange post) {
    post.respond(HttpResponseStatus.OK, "text/html", Unpooled.wrappedBuffer(OK));
  }
}
