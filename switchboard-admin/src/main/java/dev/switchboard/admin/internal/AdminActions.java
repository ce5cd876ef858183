package dev.switchboard.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's actions on one admin socket: {@code join(nsp, room, filter?)}, {@code leave(nsp, room,
 * filter?)}, {@code _disconnect(nsp, close, filter?)} and {@code emit(nsp, filter, event, ...args)},
 * each on every node through the namespace's socketsJoin, socketsLeave, disconnectSockets and
 * broadcast; {@code filter} is a room (a socket id for one socket). Only namespaces this node has
 * are acted on, never the admin namespace. A malformed action, or any action in read-only mode, is
 * refused: nothing happens, and when the UI asked for an acknowledgement it gets
 * {@code {ok:false, error:{code, message}}}.
 */
public final class AdminActions {
  public static final List<String> EVENTS = List.of("join", "leave", "_disconnect", "emit");
  private static final Logger log = LoggerFactory.getLogger(AdminActions.class);
  private static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
      "newListener", "removeListener");

  private final SocketIoServer io;
  private final String adminNamespace;
  private final ServerStats stats;

  public AdminActions(SocketIoServer io, String adminNamespace, ServerStats stats) {
    this.io = io;
    this.adminNamespace = adminNamespace;
    this.stats = stats;
  }

  /** Listens to the UI's actions on {@code admin}; in read-only mode each is refused. */
  public void install(Socket admin, boolean readonly) {
    if (readonly) {
      for (String event : EVENTS) {
        admin.on(event, e -> {
          stats.ownReceived();
          refuse(e, "READONLY", "the admin namespace is read-only");
        });
      }
      return;
    }
    admin.on("join", e -> act(e, this::join));
    admin.on("leave", e -> act(e, this::leave));
    admin.on("_disconnect", e -> act(e, this::disconnect));
    admin.on("emit", e -> act(e, this::emit));
  }

  private interface Action {
    void run(Event event) throws Refusal;
  }

  private void act(Event event, Action action) {
    stats.ownReceived();
    try {
      action.run(event);
      if (event.hasAck()) {
        event.ack(Map.of("ok", true));
      }
    } catch (Refusal refusal) {
      refuse(event, refusal.code, refusal.getMessage());
    }
  }

  private void join(Event event) throws Refusal {
    String room = room(event.args(), 1);
    target(event.args(), 2).socketsJoin(room);
  }

  private void leave(Event event) throws Refusal {
    String room = room(event.args(), 1);
    target(event.args(), 2).socketsLeave(room);
  }

  private void disconnect(Event event) throws Refusal {
    JsonNode close = event.args().get(1);
    if (!close.isBoolean()) {
      throw new Refusal("INVALID_ARGUMENT", "_disconnect(nsp, close, filter?): close must be true or false");
    }
    target(event.args(), 2).disconnectSockets(close.booleanValue());
  }

  private void emit(Event event) throws Refusal {
    Args args = event.args();
    JsonNode name = args.get(2);
    if (!name.isTextual() || name.textValue().isEmpty() || RESERVED.contains(name.textValue())) {
      throw new Refusal("INVALID_ARGUMENT", "emit(nsp, filter, event, ...args): event must be a name that is not reserved");
    }
    BroadcastOperator target = target(args, 1);
    List<JsonNode> values = args.asList();
    Object[] rest = values.subList(Math.min(3, values.size()), values.size()).toArray();
    stats.ownEmit();
    target.emit(name.textValue(), rest);
  }

  /** The sockets of the namespace named by the first argument, in the room {@code filterIndex} names if any. */
  private BroadcastOperator target(Args args, int filterIndex) throws Refusal {
    Namespace nsp = namespace(args);
    JsonNode filter = args.get(filterIndex);
    if (filter.isMissingNode() || filter.isNull()) {
      return nsp;
    }
    if (!filter.isTextual() || filter.textValue().isEmpty()) {
      throw new Refusal("INVALID_ARGUMENT", "the filter must be a room name or a socket id");
    }
    return nsp.to(filter.textValue());
  }

  private Namespace namespace(Args args) throws Refusal {
    JsonNode name = args.get(0);
    if (!name.isTextual()) {
      throw new Refusal("INVALID_ARGUMENT", "the first argument must be a namespace name");
    }
    if (name.textValue().equals(adminNamespace)) {
      throw new Refusal("FORBIDDEN_NAMESPACE", "the admin namespace is not acted on");
    }
    Optional<Namespace> found = io.namespaces().stream().filter(nsp -> nsp.name().equals(name.textValue())).findFirst();
    return found.orElseThrow(() -> new Refusal("UNKNOWN_NAMESPACE", "no namespace " + name.textValue() + " on this node"));
  }

  private static String room(Args args, int index) throws Refusal {
    JsonNode room = args.get(index);
    if (!room.isTextual() || room.textValue().isEmpty()) {
      throw new Refusal("INVALID_ARGUMENT", "the room must be a non-empty string");
    }
    return room.textValue();
  }

  private static void refuse(Event event, String code, String message) {
    log.debug("admin action {} refused: {} {}", event.name(), code, message);
    if (event.hasAck()) {
      event.ack(Map.of("ok", false, "error", Map.of("code", code, "message", message)));
    }
  }

  private static final class Refusal extends Exception {
    private final String code;

    Refusal(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
