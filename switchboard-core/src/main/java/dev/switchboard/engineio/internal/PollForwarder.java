package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.Cors;
import dev.switchboard.engineio.ForwardedPoll;
import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpExchange;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of polling across nodes: a polling request for a session another node owns
 * (its id ends with that node's tag) goes to the owner through the relay, and the owner's answer
 * becomes this request's response, with this node's CORS headers. A GET whose client goes away
 * is abandoned at the owner, as is one whose answer cannot be delivered.
 */
final class PollForwarder {
  private static final Logger log = LoggerFactory.getLogger(PollForwarder.class);
  private static final char TAG_SEPARATOR = '.';

  private final PollingRelay relay;
  private final EngineIoOptions options;
  private final AtomicLong ids = new AtomicLong();
  /** A GET waits for packets or the next ping; the owner answers within a ping interval. */
  private final Duration getTimeout;
  private final Duration postTimeout;

  PollForwarder(PollingRelay relay, EngineIoOptions options) {
    this.relay = relay;
    this.options = options;
    this.getTimeout = options.pingInterval().plus(options.pingTimeout());
    this.postTimeout = options.pingTimeout();
  }

  /** The suffix of the session ids this node creates. */
  static String idSuffix(PollingRelay relay) {
    return TAG_SEPARATOR + relay.nodeTag();
  }

  /** The tag of the node that owns {@code sessionId} when it is another node; else null. */
  String remoteOwner(String sessionId) {
    int dot = sessionId.lastIndexOf(TAG_SEPARATOR);
    if (dot < 0 || dot == sessionId.length() - 1) {
      return null;
    }
    String tag = sessionId.substring(dot + 1);
    return tag.equals(relay.nodeTag()) ? null : tag;
  }

  /** Forwards a polling GET or POST for {@code sessionId} to node {@code owner} and answers with its answer. */
  void forward(HttpExchange exchange, String owner, String sessionId) {
    ForwardedPoll.Kind kind;
    if (exchange.method().equals(HttpMethod.GET)) {
      kind = ForwardedPoll.Kind.GET;
    } else if (exchange.method().equals(HttpMethod.POST)) {
      kind = ForwardedPoll.Kind.POST;
    } else {
      EngineIoHandler.respondError(exchange, EngineError.BAD_REQUEST, options.cors());
      return;
    }
    String id = nextId();
    String body = kind == ForwardedPoll.Kind.POST ? exchange.bodyAsString() : "";
    CompletableFuture<Optional<ForwardedPoll.Answer>> answer = relay.forward(owner, new ForwardedPoll(id, sessionId, kind, body),
        kind == ForwardedPoll.Kind.GET ? getTimeout : postTimeout);
    ChannelFutureListener gone = null;
    if (kind == ForwardedPoll.Kind.GET) {
      gone = f -> {
        if (answer.cancel(false)) {
          relay.abandon(owner, sessionId, id);
        }
      };
      exchange.channel().closeFuture().addListener(gone);
    }
    ChannelFutureListener watching = gone;
    answer.whenComplete((result, error) -> {
      if (watching != null) {
        exchange.channel().closeFuture().removeListener(watching);
      }
      deliver(exchange, owner, sessionId, id, kind, result, error);
    });
  }

  /** Tells the owner that a POST over the size limit was refused here: its session ends there. */
  void forwardOversized(String owner, String sessionId) {
    relay.forward(owner, new ForwardedPoll(nextId(), sessionId, ForwardedPoll.Kind.OVERSIZED, ""), postTimeout);
  }

  private String nextId() {
    return relay.nodeTag() + "-" + ids.incrementAndGet();
  }

  private void deliver(HttpExchange exchange, String owner, String sessionId, String id, ForwardedPoll.Kind kind,
      Optional<ForwardedPoll.Answer> result, Throwable error) {
    boolean get = kind == ForwardedPoll.Kind.GET;
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof CancellationException) {
        return; // the client went away; the owner was told
      }
      log.debug("session {}: forwarded {} failed: {}", sessionId, kind, cause.toString());
      if (get) {
        // The owner may have answered into the void: it ends the session rather than lose packets.
        relay.abandon(owner, sessionId, id);
      }
      EngineIoHandler.respondError(exchange, EngineError.SESSION_UNREACHABLE, options.cors());
      return;
    }
    if (result.isEmpty()) {
      EngineIoHandler.respondError(exchange, EngineError.UNKNOWN_SID, options.cors());
      return;
    }
    ForwardedPoll.Answer answer = result.get();
    if (!exchange.channel().isActive()) {
      if (get) {
        relay.abandon(owner, sessionId, id);
      }
      return;
    }
    exchange.respond(HttpResponseStatus.valueOf(answer.status()), answer.contentType(),
        Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8), Cors.headers(options.cors(), exchange))
        .addListener(f -> {
          if (!f.isSuccess() && get) {
            relay.abandon(owner, sessionId, id);
          }
        });
  }
}
