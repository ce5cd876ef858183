package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.Socket;
import java.util.Map;

/**
 * The user behind a socket as presence knows them by default ({@link PresenceIdentity#DEFAULT}),
 * for sockets fetched from any node: the stored presence member (a snapshot from another node
 * carries it as JSON), else the handshake's {@code auth.user.id}, else the socket itself.
 */
public final class ParticipantIds {
  private ParticipantIds() {}

  public static String of(RemoteSocket socket) {
    return of(socket.id(), socket.handshake(), socket.data());
  }

  public static String of(Socket socket) {
    return of(socket.id(), socket.handshake(), socket.data());
  }

  static String of(String socketId, Handshake handshake, Map<String, Object> data) {
    Object stored = data.get(PresenceIdentity.DATA_KEY);
    if (stored instanceof PresenceMember member) {
      return member.id();
    }
    if (stored instanceof JsonNode json && json.path("id").isValueNode() && !json.path("id").isNull()) {
      return json.path("id").asText();
    }
    JsonNode user = handshake.auth().get("user");
    if (user != null && user.isObject() && user.hasNonNull("id") && user.get("id").isValueNode()) {
      return user.get("id").asText();
    }
    return socketId;
  }
}
