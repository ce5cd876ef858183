package dev.switchboard.socketio;

import dev.switchboard.presence.PresenceMember;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Says who a socket is for presence. */
@FunctionalInterface
public interface PresenceIdentity {
  /** Key of {@code socket.data()} under which an application may store the socket's {@link PresenceMember}. */
  String DATA_KEY = "presence";

  PresenceMember identify(Socket socket);

  /**
   * The default: a {@link PresenceMember} stored in {@code socket.data()} under {@link #DATA_KEY}
   * (set by an authentication middleware); else, for servers without authentication, the
   * handshake's {@code auth.user} object ({@code {id, name, ...}}, its scalar fields shown to
   * others); else the socket itself, anonymous.
   */
  PresenceIdentity DEFAULT = socket -> {
    if (socket.data().get(DATA_KEY) instanceof PresenceMember member) {
      return member;
    }
    JsonNode user = socket.handshake().auth().get("user");
    if (user != null && user.isObject() && user.hasNonNull("id") && user.get("id").isValueNode()) {
      Map<String, Object> info = new LinkedHashMap<>();
      user.fields().forEachRemaining(field -> {
        JsonNode value = field.getValue();
        if (!field.getKey().equals("id") && value.isValueNode() && !value.isNull()) {
          info.put(field.getKey(), value.isNumber() ? value.numberValue() : value.isBoolean() ? value.booleanValue() : value.asText());
        }
      });
      return new PresenceMember(user.get("id").asText(), info);
    }
    return new PresenceMember(socket.id(), Map.of());
  };
}
