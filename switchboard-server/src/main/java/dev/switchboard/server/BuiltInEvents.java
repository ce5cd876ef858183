package dev.switchboard.server;

import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.server.messages.Dedupe;
import dev.switchboard.server.messages.PublishListener;
import dev.switchboard.server.messages.PublishRules;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
 *   <li>{@code presence:list {room, after?, limit?}} answers a page of the room's members, with
 *       {@code next} when more follow;</li>
 *   <li>{@code history {room, since?, limit?}} answers the messages kept after {@code since}.</li>
 * </ul>
 *
 * <p>Here each event is wired to its handler: {@link RoomMembership} (join, leave),
 * {@link RoomPublish}, {@link RoomQueries} (presence, history), {@link AuthorizedEvents} when an
 * authorizer decides.
 */
public final class BuiltInEvents {
  /** Longest event name accepted in a publish. */
  public static final int MAX_EVENT_LENGTH = PublishRules.MAX_EVENT_LENGTH;

  /** Most rooms one connection may join with room:join, besides its own and its user's. */
  public static final int MAX_ROOMS_PER_SOCKET = 100;
  /** Longest a publish may wait for the members' acknowledgements. */
  public static final Duration MAX_ACK_TIMEOUT = Duration.ofSeconds(30);
  /** Longest client message id accepted for de-duplication. */
  public static final int MAX_MESSAGE_ID_LENGTH = PublishRules.MAX_MESSAGE_ID_LENGTH;
  /** How long a message id is remembered. */
  public static final Duration DEDUPE_WINDOW = Dedupe.WINDOW;
  /** Most message ids remembered at once. */
  public static final int DEDUPE_MAX_IDS = Dedupe.MAX_IDS;
  /** Most messages one history query answers. */
  public static final int MAX_HISTORY_LIMIT = 500;
  /** Most members one presence:list answers (also its page size when the request names none). */
  public static final int MAX_PRESENCE_PAGE = 1_000;

  private BuiltInEvents() {}

  /** The events of open mode: any client may join and publish to any room but per-user ones. */
  public static void install(SocketIoServer io) {
    install(io, localDedupe(), RoomEntry.DIRECT, PublishListener.NONE);
  }

  /**
   * The events of open mode, message ids remembered by {@code dedupe}, rooms entered through
   * {@code entry}, each message sent told to {@code published}; a socket's joins, leaves and
   * publishes are handled in arrival order (a publish with an id may wait for the cluster, a call
   * join for its place).
   */
  static void install(SocketIoServer io, Dedupe dedupe, RoomEntry entry, PublishListener published) {
    io.onConnection(socket -> {
      InOrder order = new InOrder(socket.executor());
      socket.on("room:join", event -> order.run(event, () -> RoomMembership.join(socket, event, entry)));
      socket.on("room:leave", event -> order.run(event, () -> done(() -> RoomMembership.leave(socket, event))));
      socket.on("room:publish", event -> order.run(event, () -> RoomPublish.publish(socket, event, dedupe, published)));
      handle(socket, "presence:list", event -> RoomQueries.presence(io, socket, event));
      handle(socket, "history", event -> RoomQueries.history(io, socket, event));
      socket.onUnhandled(BuiltInEvents::unknown);
    });
  }

  /**
   * The events for authenticated sockets: each {@code room:join} and {@code room:publish} is
   * decided by {@code authorizer}; a socket's requests are handled in arrival order.
   */
  public static void install(SocketIoServer io, RoomAuthorizer authorizer) {
    install(io, authorizer, localDedupe(), RoomEntry.DIRECT, PublishListener.NONE);
  }

  /**
   * The events for authenticated sockets, message ids remembered by {@code dedupe}, rooms entered
   * through {@code entry}, each message sent told to {@code published}.
   */
  static void install(SocketIoServer io, RoomAuthorizer authorizer, Dedupe dedupe, RoomEntry entry,
      PublishListener published) {
    io.onConnection(socket -> {
      InOrder order = new InOrder(socket.executor());
      socket.on("room:join", event -> order.run(event, () -> AuthorizedEvents.join(socket, event, authorizer, entry)));
      socket.on("room:leave", event -> order.run(event, () -> done(() -> RoomMembership.leave(socket, event))));
      socket.on("room:publish", event -> order.run(event, () -> AuthorizedEvents.publish(socket, event, authorizer, dedupe, published)));
      socket.on("presence:list", event -> order.run(event, () -> RoomQueries.presence(io, socket, event)));
      socket.on("history", event -> order.run(event, () -> RoomQueries.history(io, socket, event)));
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
    event.ack(Answers.error("UNKNOWN_EVENT", "the server has no handler for \"" + event.name() + "\""));
  }

  private static Dedupe localDedupe() {
    return Dedupe.of(Optional.empty());
  }

  private static CompletableFuture<?> done(Runnable request) {
    request.run();
    return CompletableFuture.completedFuture(null);
  }
}
