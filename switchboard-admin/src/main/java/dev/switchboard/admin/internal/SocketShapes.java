package dev.switchboard.admin.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Socket;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A socket as the Admin UI reads it: id, clientId (the first 12 characters of the Engine.IO session
 * id), transport, nsp, data, handshake (without auth, nor the cookie and authorization headers) and rooms.
 */
public final class SocketShapes {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Node's {@code new Date().toString()} shape, in UTC. */
  private static final DateTimeFormatter NODE_DATE =
      DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", Locale.ROOT);
  private static final Set<String> HIDDEN_HEADERS = Set.of("cookie", "authorization");

  private SocketShapes() {}

  public static Map<String, Object> of(Socket socket) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("id", socket.id());
    String connection = socket.connectionId();
    shape.put("clientId", connection.length() > 12 ? connection.substring(0, 12) : connection);
    shape.put("transport", socket.transport().wireName());
    shape.put("nsp", socket.namespace().name());
    shape.put("data", data(socket.data()));
    shape.put("handshake", handshake(socket.handshake()));
    shape.put("rooms", List.copyOf(socket.rooms()));
    return shape;
  }

  /** The socket's data as JSON, or an empty object when some value cannot be written as JSON. */
  static Object data(Map<String, Object> data) {
    try {
      return JSON.valueToTree(data);
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }

  static Map<String, Object> handshake(Handshake handshake) {
    Map<String, String> headers = new LinkedHashMap<>(handshake.headers());
    headers.keySet().removeAll(HIDDEN_HEADERS);
    String address = handshake.header("cf-connecting-ip").or(() -> handshake.header("x-forwarded-for")).orElse(handshake.address());
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("address", address);
    shape.put("headers", headers);
    shape.put("query", handshake.query());
    shape.put("issued", handshake.issued());
    shape.put("secure", handshake.secure());
    shape.put("time", NODE_DATE.format(handshake.time().atOffset(ZoneOffset.UTC)));
    shape.put("url", handshake.url());
    shape.put("xdomain", handshake.xdomain());
    return shape;
  }
}
