package dev.switchboard.server.chat;

import dev.switchboard.server.config.ChatLimits;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.internal.Cors;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.sse.SseStream;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.Set;

/**
 * {@code POST /api/v1/chat} with {@code {messages: [{role, content}], model?, conversationId?}}:
 * streams the model's answer as Server-Sent Events. Before the model is asked, a bad body is
 * answered 400, a caller {@link ChatAccess} refuses with its status, and one over its
 * {@link ChatLimits} 429; each with {@code {code, message}}.
 */
public final class ChatRoute implements HttpRoute {
  public static final String PATH = "/api/v1/chat";
  /** The events an answer with a {@code conversationId} publishes into its room. */
  public static final Set<String> ROOM_EVENTS = Set.of(RoomChatSink.DELTA_EVENT, RoomChatSink.DONE_EVENT, RoomChatSink.ERROR_EVENT);

  private final ChatModel model;
  private final CorsOptions cors;
  private final SseOptions sse;
  private final ChatAccess access;
  private final ChatLimiter limiter;
  /** Where answers to a conversation are published; empty for an endpoint that only answers the caller. */
  private final Optional<RoomChatSink.RoomPublisher> rooms;
  /** Whether the server drains: new questions are refused, answers in progress go on. */
  private final BooleanSupplier draining;
  private final OpenAnswers open = new OpenAnswers();

  /** An open chat endpoint with the default limits, that only answers the caller. */
  public ChatRoute(ChatModel model, CorsOptions cors) {
    this(model, cors, ChatAccess.open(), ChatLimits.DEFAULTS, Optional.empty(), () -> false);
  }

  /**
   * A chat endpoint that also publishes answers with a {@code conversationId} to the room
   * {@code chat:{conversationId}} of {@code io}, for the callers {@code access} admits, within
   * {@code limits} per caller; while {@code io} drains, new questions are refused with 503.
   */
  public ChatRoute(ChatModel model, CorsOptions cors, ChatAccess access, ChatLimits limits, SocketIoServer io) {
    this(model, cors, access, limits, Optional.of(Objects.requireNonNull(io, "io"))
        .map(server -> (room, event, data) -> server.to(room).emit(event, data)), io::draining);
  }

  private ChatRoute(ChatModel model, CorsOptions cors, ChatAccess access, ChatLimits limits,
      Optional<RoomChatSink.RoomPublisher> rooms, BooleanSupplier draining) {
    this.draining = draining;
    this.model = model;
    this.cors = cors;
    this.sse = SseOptions.DEFAULTS.withCors(cors);
    this.access = access;
    this.limiter = new ChatLimiter(limits, System::nanoTime);
    this.rooms = rooms;
  }

  /**
   * Completes with {@code true} once no answer is streaming any more, or with {@code false} after
   * {@code timeLeft}: what a drain waits for before the server closes (answers then still open are
   * cut, and the client's retry reaches another node).
   */
  public CompletionStage<Boolean> answersFinished(Duration timeLeft) {
    return open.finished(timeLeft);
  }

  /** The room an answer with {@code conversationId} is published into. */
  public static String room(String conversationId) {
    return "chat:" + conversationId;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!exchange.path().equals(PATH) && !exchange.path().equals(PATH + "/")) {
      exchange.respondJson(HttpResponseStatus.NOT_FOUND, ChatJson.error("NOT_FOUND", "no such endpoint"));
      return;
    }
    if (exchange.method().equals(HttpMethod.OPTIONS)) {
      exchange.respondEmpty(HttpResponseStatus.NO_CONTENT, Cors.preflight(cors, exchange, "POST, OPTIONS"));
      return;
    }
    if (!exchange.method().equals(HttpMethod.POST)) {
      HttpHeaders headers = corsHeaders(exchange).set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED, ChatJson.error("METHOD_NOT_ALLOWED", "use POST"), headers);
      return;
    }
    if (draining.getAsBoolean()) {
      HttpHeaders headers = corsHeaders(exchange).set(HttpHeaderNames.RETRY_AFTER, 1);
      exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE,
          ChatJson.error("DRAINING", "this node is shutting down; ask again (another node answers)"), headers);
      return;
    }
    ChatRequest request;
    try {
      request = ChatRequestReader.read(exchange.bodyAsString());
    } catch (InvalidChatRequest e) {
      exchange.respondJson(HttpResponseStatus.BAD_REQUEST, ChatJson.error(e.code(), e.getMessage()), corsHeaders(exchange));
      return;
    }
    access.admit(exchange, request).whenComplete((verdict, error) ->
        EventLoops.runOn(exchange.channel().eventLoop(), () -> decided(exchange, request, verdict, error)));
  }

  private void decided(HttpExchange exchange, ChatRequest request, ChatAccess.Verdict verdict, Throwable error) {
    if (!exchange.channel().isActive()) {
      return;
    }
    if (error != null) {
      refuse(exchange, 503, "UNAVAILABLE", "the request could not be authorized; try again");
      return;
    }
    switch (verdict) {
      case ChatAccess.Refused refused -> refuse(exchange, refused.status(), refused.code(), refused.message());
      case ChatAccess.Caller caller -> {
        switch (limiter.admit(caller.key())) {
          case ChatLimiter.Refusal over -> {
            HttpHeaders headers = corsHeaders(exchange);
            if (over.retryAfterSeconds() > 0) {
              headers.set(HttpHeaderNames.RETRY_AFTER, over.retryAfterSeconds());
            }
            exchange.respondJson(HttpResponseStatus.TOO_MANY_REQUESTS, ChatJson.error(over.code(), over.message()), headers);
          }
          case ChatLimiter.Slot slot -> stream(exchange, request, slot);
        }
      }
    }
  }

  private void stream(HttpExchange exchange, ChatRequest request, ChatLimiter.Slot slot) {
    SseStream stream = SseStream.open(exchange, sse);
    ChatSink sink = new SseChatSink(stream);
    if (rooms.isPresent() && request.conversationId().isPresent()) {
      sink = new RoomChatSink(sink, rooms.get(), request.conversationId().get());
    }
    open.started();
    ChatModel.ChatCall call = model.stream(request, sink);
    stream.onClose(() -> {
      call.cancel();
      slot.release();
      open.ended();
    });
  }

  private void refuse(HttpExchange exchange, int status, String code, String message) {
    exchange.respondJson(HttpResponseStatus.valueOf(status), ChatJson.error(code, message), corsHeaders(exchange));
  }

  private HttpHeaders corsHeaders(HttpExchange exchange) {
    // Empty, the CORS headers are immutable: the caller may add its own.
    HttpHeaders headers = Cors.headers(cors, exchange);
    return headers.isEmpty() ? new DefaultHttpHeaders() : headers;
  }
}
