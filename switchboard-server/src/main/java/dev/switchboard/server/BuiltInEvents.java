package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.server.chat.ChatRoute;
import dev.switchboard.socketio.Event;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.Socket;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.redis.RedisCluster;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The standalone server's built-in events on namespace {@code /}; each answers through its ack
 * with {@code {ok:true, ...}} or {@code {ok:false, error:{code, message}}}.
 *
 * <ul>
 *   <li>{@code room:join {room}} joins a room;</li>
 *   <li>{@code room:leave {room}} leaves it;</li>
 *   <li>{@code room:publish {room, event, data, id?, ack?}} sends {@code event(data, meta)} to every other
 *       member, meta being {@code {room, from, user?, id?, position?}} ({@code position} when the room
 *       keeps history); the answer is {@code {ok:true, position?}}; a repeated {@code id} within the dedupe window
 *       is acknowledged ({@code duplicate: true}) but not sent again; with {@code ack} (a timeout in
 *       ms) the members acknowledge it and the answer carries their {@code responses};</li>
 *   <li>{@code presence:list {room}} answers the room's members;</li>
 *   <li>{@code history {room, since?, limit?}} answers the messages kept after {@code since}.</li>
 * </ul>
 */
public final class BuiltInEvents {
  /** Longest event name accepted in a publish. */
  public static final int MAX_EVENT_LENGTH = 100;
  /** Event names travel in SSE {@code event:} lines too, so they hold no control characters. */
  private static final Pattern EVENT_NAME = Pattern.compile("[^\\p{Cntrl}]{1," + MAX_EVENT_LENGTH + "}");
  /** Names a publish may not carry: the protocol's, and every event this server sends on its own. */
  private static final Set<String> RESERVED_EVENTS = ReservedEvents.with(ChatRoute.ROOM_EVENTS);

  /** Most rooms one connection may join with room:join, besides its own and its user's. */
  public static final int MAX_ROOMS_PER_SOCKET = 100;
  /** Longest a publish may wait for the members' acknowledgements. */
  public static final Duration MAX_ACK_TIMEOUT = Duration.ofSeconds(30);
  /** Longest client message id accepted for de-duplication. */
  public static final int MAX_MESSAGE_ID_LENGTH = 128;
  /** How long a message id is remembered. */
  public static final Duration DEDUPE_WINDOW = Duration.ofMinutes(10);
  /** Most message ids remembered at once. */
  public static final int DEDUPE_MAX_IDS = 100_000;
  /** Most messages one history query answers. */
  public static final int MAX_HISTORY_LIMIT = 500;

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private BuiltInEvents() {}

  /** The events of open mode: any client may join and publish to any room but per-user ones. */
  public static void install(SocketIoServer io) {
    install(io, localDedupe());
  }

  /**
   * The events of open mode, message ids remembered by {@code dedupe}; a socket's joins, leaves
   * and publishes are handled in arrival order (a publish with an id may wait for the cluster).
   */
  static void install(SocketIoServer io, Dedupe dedupe) {
    io.onConnection(socket -> {
      InOrder order = new InOrder(socket.executor());
      socket.on("room:join", event -> order.run(event, () -> done(() -> join(socket, event))));
      socket.on("room:leave", event -> order.run(event, () -> done(() -> leave(socket, event))));
      socket.on("room:publish", event -> order.run(event, () -> publish(socket, event, dedupe)));
      handle(socket, "presence:list", event -> presence(io, socket, event));
      handle(socket, "history", event -> history(io, socket, event));
      socket.onUnhandled(BuiltInEvents::unknown);
    });
  }

  /**
   * The events for authenticated sockets: each {@code room:join} and {@code room:publish} is
   * decided by {@code authorizer}; a socket's requests are handled in arrival order.
   */
  public static void install(SocketIoServer io, RoomAuthorizer authorizer) {
    install(io, authorizer, localDedupe());
  }

  /** The events for authenticated sockets, message ids remembered by {@code dedupe}. */
  static void install(SocketIoServer io, RoomAuthorizer authorizer, Dedupe dedupe) {
    io.onConnection(socket -> {
      InOrder order = new InOrder(socket.executor());
      socket.on("room:join", event -> order.run(event, () -> AuthorizedEvents.join(socket, event, authorizer)));
      socket.on("room:leave", event -> order.run(event, () -> done(() -> leave(socket, event))));
      socket.on("room:publish", event -> order.run(event, () -> AuthorizedEvents.publish(socket, event, authorizer, dedupe)));
      socket.on("presence:list", event -> order.run(event, () -> presence(io, socket, event)));
      socket.on("history", event -> order.run(event, () -> history(io, socket, event)));
      socket.onUnhandled(BuiltInEvents::unknown);
    });
  }

  /**
   * Handles the built-in request {@code name}: a handler that throws or whose future fails answers
   * {@code INTERNAL} and is logged once with the socket id.
   */
  static void handle(Socket socket, String name, Function<Event, CompletableFuture<?>> handler) {
    socket.on(name, event -> RequestFailures.guarded(event, () -> handler.apply(event)));
  }

  /** An event no handler takes: its acknowledgement (if the client asked for one) says so instead of never coming. */
  private static void unknown(Event event) {
    event.ack(error("UNKNOWN_EVENT", "the server has no handler for \"" + event.name() + "\""));
  }

  /**
   * Where message ids are remembered for {@link #DEDUPE_WINDOW}: on this node alone, or, in a
   * cluster ({@code cluster} not null), in Redis, so that a resend to any node is recognised.
   */
  static Dedupe dedupe(RedisCluster cluster) {
    DedupeWindow local = new DedupeWindow(DEDUPE_WINDOW, DEDUPE_MAX_IDS, Clock.systemUTC());
    return cluster == null ? Dedupe.local(local) : new ClusterDedupe(local, cluster, DEDUPE_WINDOW);
  }

  private static Dedupe localDedupe() {
    return dedupe(null);
  }

  private static CompletableFuture<?> done(Runnable request) {
    request.run();
    return CompletableFuture.completedFuture(null);
  }

  private static CompletableFuture<?> presence(SocketIoServer io, Socket socket, Event event) {
    String room = memberRoom(socket, event);
    if (room == null) {
      return CompletableFuture.completedFuture(null);
    }
    return io.presenceAsync(room).handle((found, failure) -> {
      if (failure != null) {
        event.ack(error("UNAVAILABLE", "the presence of " + room + " cannot be read now; try again"));
        return null;
      }
      List<Map<String, Object>> members = found.stream().map(member -> {
        Map<String, Object> who = new LinkedHashMap<>(member.info());
        who.put("id", member.id());
        return who;
      }).toList();
      event.ack(Map.of("ok", true, "room", room, "members", members));
      return null;
    }).toCompletableFuture();
  }

  private static CompletableFuture<?> history(SocketIoServer io, Socket socket, Event event) {
    String room = memberRoom(socket, event);
    if (room == null) {
      return CompletableFuture.completedFuture(null);
    }
    JsonNode request = event.args().get(0);
    StreamPosition since = null;
    JsonNode sinceNode = request.get("since");
    if (sinceNode != null && !sinceNode.isNull()) {
      since = sinceNode.isTextual() ? StreamPosition.parse(sinceNode.textValue()).orElse(null) : null;
      if (since == null) {
        event.ack(error("INVALID_REQUEST", "since must be a position \"epoch:offset\" as given by a previous answer"));
        return CompletableFuture.completedFuture(null);
      }
    }
    JsonNode limitNode = request.get("limit");
    int limit = limitNode != null && limitNode.canConvertToInt() ? limitNode.intValue() : 50;
    if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
      event.ack(error("INVALID_REQUEST", "limit must be 1 to " + MAX_HISTORY_LIMIT));
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<HistoryPage> read = since == null ? io.history(room, limit) : io.history(room, since, limit);
    return read.handle((page, failure) -> {
      if (failure != null) {
        event.ack(error("UNAVAILABLE", "the history of " + room + " cannot be read now; try again"));
      } else {
        event.ack(historyAnswer(room, page));
      }
      return null;
    });
  }

  private static Map<String, Object> historyAnswer(String room, HistoryPage page) {
    List<Map<String, Object>> messages = page.entries().stream().map(entry -> {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("event", entry.event());
      JsonNode args = entry.arguments();
      message.put("data", args.isEmpty() ? null : args.get(0));
      message.put("position", entry.position().toString());
      message.put("timestamp", entry.timestampMillis());
      return message;
    }).toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", true);
    answer.put("room", room);
    answer.put("messages", messages);
    answer.put("head", page.head().toString());
    answer.put("gap", page.gap());
    answer.put("more", page.more());
    return answer;
  }

  /** The room of a request that only members may make, or null after answering with an error. */
  private static String memberRoom(Socket socket, Event event) {
    String room = room(event);
    if (room != null && !socket.rooms().contains(room)) {
      event.ack(error("NOT_IN_ROOM", "join \"" + room + "\" first"));
      return null;
    }
    return room;
  }

  private static void join(Socket socket, Event event) {
    String room = room(event);
    if (room == null) {
      return;
    }
    Optional<RoomRules.Refusal> refusal = RoomRules.checkJoin(room);
    if (refusal.isPresent()) {
      event.ack(error(refusal.get().code(), refusal.get().message()));
      return;
    }
    if (overRoomCap(socket, room, event)) {
      return;
    }
    socket.join(room);
    // Answered once broadcasts from every node reach this one: a publish after the answer is never missed.
    socket.roomReady(room).whenComplete((ready, error) -> event.ack(ok()));
  }

  /**
   * True (after answering TOO_MANY_ROOMS) when joining {@code room} would take the socket past
   * {@link #MAX_ROOMS_PER_SOCKET} rooms besides its own and its user's.
   */
  static boolean overRoomCap(Socket socket, String room, Event event) {
    if (!socket.rooms().contains(room) && joinedRooms(socket) >= MAX_ROOMS_PER_SOCKET) {
      event.ack(error("TOO_MANY_ROOMS", "a connection may be in at most " + MAX_ROOMS_PER_SOCKET + " rooms"));
      return true;
    }
    return false;
  }

  /** The rooms a socket is in by its own requests: not its own room, nor the user room the server put it in. */
  private static long joinedRooms(Socket socket) {
    String userRoom = SocketAuthentication.principal(socket).map(principal -> Rooms.user(principal.subject())).orElse(null);
    return socket.rooms().stream().filter(room -> !room.equals(socket.id()) && !room.equals(userRoom)).count();
  }

  private static void leave(Socket socket, Event event) {
    String room = room(event);
    if (room == null) {
      return;
    }
    socket.leave(room);
    event.ack(ok());
  }

  private static CompletableFuture<?> publish(Socket socket, Event event, Dedupe dedupe) {
    String room = publishableRoom(socket, event);
    return room == null ? DONE : deliver(socket, event, room, dedupe);
  }

  /** The room of a valid publish by a member, or null after answering with an error. */
  static String publishableRoom(Socket socket, Event event) {
    String room = room(event);
    if (room == null) {
      return null;
    }
    JsonNode request = event.args().get(0);
    JsonNode name = request.get("event");
    if (name == null || !name.isTextual() || !EVENT_NAME.matcher(name.textValue()).matches()
        || RESERVED_EVENTS.contains(name.textValue())) {
      event.ack(error("INVALID_EVENT", "event must be a non-reserved name of 1 to " + MAX_EVENT_LENGTH + " characters, without control characters"));
      return null;
    }
    if (!socket.rooms().contains(room)) {
      event.ack(error("NOT_IN_ROOM", room.startsWith(Rooms.USER_PREFIX)
          ? "\"" + room + "\" is a user's own room, which only the server publishes to; to reach that user, publish to a room you both joined"
          : "join \"" + room + "\" before publishing to it"));
      return null;
    }
    return room;
  }

  /**
   * Sends a validated publish to the room, once per message id; completes when it is sent or
   * answered as a duplicate.
   */
  static CompletableFuture<?> deliver(Socket socket, Event event, String room, Dedupe dedupe) {
    JsonNode request = event.args().get(0);
    JsonNode id = request.get("id");
    boolean hasId = id != null && !id.isNull();
    if (hasId && (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > MAX_MESSAGE_ID_LENGTH)) {
      event.ack(error("INVALID_REQUEST", "id must be a string of 1 to " + MAX_MESSAGE_ID_LENGTH + " characters"));
      return DONE;
    }
    JsonNode ack = request.get("ack");
    if (ack != null && !ack.isNull()
        && (!ack.canConvertToLong() || ack.asLong() < 1 || ack.asLong() > MAX_ACK_TIMEOUT.toMillis())) {
      event.ack(error("INVALID_REQUEST", "ack must be a timeout of 1 to " + MAX_ACK_TIMEOUT.toMillis() + " ms"));
      return DONE;
    }
    if (!hasId) {
      send(socket, event, room, null);
      return DONE;
    }
    CompletableFuture<Boolean> first = dedupe.firstTime(room + '\u0000' + id.textValue());
    Consumer<Boolean> sendOnce = isFirst -> {
      if (isFirst) {
        send(socket, event, room, id.textValue());
      } else {
        event.ack(Map.of("ok", true, "duplicate", true));
      }
    };
    if (first.isDone()) {
      sendOnce.accept(first.join());
      return DONE;
    }
    return first.thenAcceptAsync(sendOnce, socket.executor());
  }

  /** Sends {@code event(data, meta)} to the room's other members and answers the publish. */
  private static void send(Socket socket, Event event, String room, String id) {
    JsonNode request = event.args().get(0);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("room", room);
    meta.put("from", socket.id());
    SocketAuthentication.principal(socket).ifPresent(principal -> meta.put("user", principal.subject()));
    if (id != null) {
      meta.put("id", id);
    }
    JsonNode data = request.get("data");
    JsonNode ack = request.get("ack");
    if (ack != null && !ack.isNull()) {
      socket.to(room).timeout(Duration.ofMillis(ack.asLong()))
          .emitWithAck(request.get("event").textValue(), data == null ? null : data, meta)
          .whenComplete((answers, failure) -> event.ack(acknowledged(answers, failure)));
      return;
    }
    socket.to(room).emitWithPosition(request.get("event").textValue(), data == null ? null : data, meta)
        .whenComplete((position, failure) -> {
          if (failure != null) {
            RequestFailures.answer(event, failure);
          } else {
            event.ack(published(position));
          }
        });
  }

  /** The answer to a publish: with the message's position when its room keeps it. */
  private static Map<String, Object> published(Optional<StreamPosition> position) {
    return position.isEmpty() ? ok() : Map.of("ok", true, "position", position.get().toString());
  }

  /** The answer to a publish with {@code ack}: the first argument of every member's acknowledgement. */
  private static Map<String, Object> acknowledged(List<Args> answers, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof AckTimeoutException timeout) {
      Map<String, Object> answer = new LinkedHashMap<>(error("ACK_TIMEOUT", timeout.getMessage()));
      answer.put("responses", firstArguments(timeout.received()));
      return answer;
    }
    if (cause != null) {
      return error("INTERNAL", "the acknowledgements could not be collected");
    }
    return Map.of("ok", true, "responses", firstArguments(answers));
  }

  private static List<JsonNode> firstArguments(List<Args> answers) {
    return answers.stream().map(args -> args.get(0).isMissingNode() ? NullNode.getInstance() : args.get(0)).toList();
  }

  /** The room named by the event's first argument, or null after answering with an error. */
  static String room(Event event) {
    JsonNode request = event.args().get(0);
    JsonNode room = request.isObject() ? request.get("room") : null;
    if (room == null || !room.isTextual()) {
      event.ack(error("INVALID_REQUEST", "expected {room: string}"));
      return null;
    }
    String name = room.textValue();
    Optional<RoomRules.Refusal> invalid = RoomRules.checkName(name);
    if (invalid.isPresent()) {
      event.ack(error(invalid.get().code(), invalid.get().message()));
      return null;
    }
    return name;
  }

  static Map<String, Object> ok() {
    return Map.of("ok", true);
  }

  static Map<String, Object> error(String code, String message) {
    return Map.of("ok", false, "error", Map.of("code", code, "message", message));
  }
}
