package dev.switchboard.server.chat;

import dev.switchboard.engineio.CorsOptions;
import dev.switchboard.engineio.internal.Cors;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.sse.SseStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Set;

/**
 * {@code POST /api/v1/chat} with {@code {messages: [{role, content}], model?}}: streams the
 * model's answer as Server-Sent Events. A bad body is answered 400 {@code {code, message}}.
 */
public final class ChatRoute implements HttpRoute {
  public static final String PATH = "/api/v1/chat";
  /** The events an answer with a {@code conversationId} publishes into its room. */
  public static final Set<String> ROOM_EVENTS = Set.of(RoomChatSink.DELTA_EVENT, RoomChatSink.DONE_EVENT, RoomChatSink.ERROR_EVENT);

  private final ChatModel model;
  private final CorsOptions cors;
  private final SseOptions sse;
  private final RoomChatSink.RoomPublisher rooms;

  /** A chat endpoint that only answers the caller. */
  public ChatRoute(ChatModel model, CorsOptions cors) {
    this(model, cors, null);
  }

  /**
   * A chat endpoint that also publishes answers with a {@code conversationId} to the room
   * {@code chat:{conversationId}} of {@code io}.
   */
  public ChatRoute(ChatModel model, CorsOptions cors, dev.switchboard.socketio.SocketIoServer io) {
    this.model = model;
    this.cors = cors;
    this.sse = SseOptions.DEFAULTS.withCors(cors);
    this.rooms = io == null ? null : (room, event, data) -> io.to(room).emit(event, data);
  }

  /** The room an answer with {@code conversationId} is published into. */
  public static String room(String conversationId) {
    return "chat:" + conversationId;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!exchange.path().equals(PATH) && !exchange.path().equals(PATH + "/")) {
      exchange.respondJson(HttpResponseStatus.NOT_FOUND, ChatJson.error("NOT_FOUND", "no such endpoint"), null);
      return;
    }
    if (exchange.method().equals(HttpMethod.OPTIONS)) {
      exchange.respond(HttpResponseStatus.NO_CONTENT, null, Unpooled.EMPTY_BUFFER, Cors.preflight(cors, exchange, "POST, OPTIONS"));
      return;
    }
    if (!exchange.method().equals(HttpMethod.POST)) {
      HttpHeaders headers = corsHeaders(exchange).set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED, ChatJson.error("METHOD_NOT_ALLOWED", "use POST"), headers);
      return;
    }
    ChatRequest request;
    try {
      request = ChatRequestReader.read(exchange.bodyAsString());
    } catch (InvalidChatRequest e) {
      exchange.respondJson(HttpResponseStatus.BAD_REQUEST, ChatJson.error(e.code(), e.getMessage()), corsHeaders(exchange));
      return;
    }
    SseStream stream = SseStream.open(exchange, sse);
    ChatSink sink = new SseChatSink(stream);
    if (rooms != null && request.conversationId() != null) {
      sink = new RoomChatSink(sink, rooms, request.conversationId());
    }
    ChatModel.ChatCall call = model.stream(request, sink);
    stream.onClose(call::cancel);
  }

  private HttpHeaders corsHeaders(HttpExchange exchange) {
    HttpHeaders headers = Cors.headers(cors, exchange);
    return headers != null ? headers : new DefaultHttpHeaders();
  }
}
