package dev.switchboard.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.cluster.OccupancyChange;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.server.messages.PublishListener;
import dev.switchboard.server.messages.PublishedMessage;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.PresenceListener;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What feeds the webhooks of the main namespace: its connections and disconnections, the
 * occupancy of its rooms and presence in them (each decided once over the cluster), and the
 * messages clients publish. Only the events some endpoint wants are followed.
 */
public final class WebhookFeed implements PublishListener {
  private final Webhooks webhooks;
  private final String namespace;

  private WebhookFeed(Webhooks webhooks, String namespace) {
    this.webhooks = webhooks;
    this.namespace = namespace;
  }

  /**
   * Follows {@code io}'s main namespace for {@code webhooks}; call before clients connect. The
   * returned feed hears the messages published with {@code room:publish}.
   */
  public static WebhookFeed install(SocketIoServer io, Webhooks webhooks) {
    WebhookFeed feed = new WebhookFeed(webhooks, io.name());
    boolean connects = webhooks.wants(WebhookEventType.CONNECT);
    boolean disconnects = webhooks.wants(WebhookEventType.DISCONNECT);
    if (connects || disconnects) {
      io.onConnection(socket -> {
        if (connects) {
          feed.connected(socket);
        }
        if (disconnects) {
          socket.onDisconnect((reason, description) -> feed.disconnected(socket, reason, description));
        }
      });
    }
    if (webhooks.wants(WebhookEventType.ROOM_OCCUPIED) || webhooks.wants(WebhookEventType.ROOM_VACATED)) {
      io.onRoomOccupancy(feed::occupancy);
    }
    if (webhooks.wants(WebhookEventType.PRESENCE_JOIN) || webhooks.wants(WebhookEventType.PRESENCE_LEAVE)) {
      io.onPresence(new PresenceListener() {
        @Override
        public void joined(String room, PresenceMember member) {
          feed.presence(WebhookEventType.PRESENCE_JOIN, room, member);
        }

        @Override
        public void left(String room, PresenceMember member) {
          feed.presence(WebhookEventType.PRESENCE_LEAVE, room, member);
        }
      });
    }
    return feed;
  }

  @Override
  public void published(PublishedMessage message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("namespace", namespace);
    data.put("room", message.room());
    data.put("event", message.event());
    data.put("data", message.data());
    message.id().ifPresent(id -> data.put("id", id));
    message.position().ifPresent(position -> data.put("position", position));
    data.put("socket", message.socket());
    message.user().ifPresent(user -> data.put("user", user));
    webhooks.send(WebhookEventType.PUBLISH, Optional.of(message.room()), data);
  }

  private void connected(Socket socket) {
    Map<String, Object> data = socketData(socket);
    data.put("transport", socket.transport().name().toLowerCase(java.util.Locale.ROOT));
    data.put("recovered", socket.recovered());
    data.put("address", socket.handshake().address());
    webhooks.send(WebhookEventType.CONNECT, Optional.empty(), data);
  }

  private void disconnected(Socket socket, DisconnectReason reason, String description) {
    Map<String, Object> data = socketData(socket);
    data.put("reason", reason.text());
    data.put("description", description);
    webhooks.send(WebhookEventType.DISCONNECT, Optional.empty(), data);
  }

  private void occupancy(OccupancyChange change) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("namespace", change.namespace());
    data.put("room", change.room());
    data.put("sequence", change.sequence());
    webhooks.send(change.occupied() ? WebhookEventType.ROOM_OCCUPIED : WebhookEventType.ROOM_VACATED,
        Optional.of(change.room()), data);
  }

  private void presence(WebhookEventType type, String room, PresenceMember member) {
    Map<String, Object> who = new LinkedHashMap<>(member.info());
    who.put("id", member.id());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("namespace", namespace);
    data.put("room", room);
    data.put("member", who);
    webhooks.send(type, Optional.of(room), data);
  }

  /** The socket's id and namespace, and its user: the token's subject, else the handshake's {@code auth.user.id}. */
  private Map<String, Object> socketData(Socket socket) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("namespace", namespace);
    data.put("socket", socket.id());
    user(socket).ifPresent(user -> data.put("user", user));
    return data;
  }

  private static Optional<String> user(Socket socket) {
    Optional<String> subject = SocketAuthentication.principal(socket).map(VerifiedToken::subject);
    if (subject.isPresent()) {
      return subject;
    }
    JsonNode id = socket.handshake().auth().path("user").path("id");
    return id.isValueNode() && !id.isNull() ? Optional.of(id.asText()) : Optional.empty();
  }
}
