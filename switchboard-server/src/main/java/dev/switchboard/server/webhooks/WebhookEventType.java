package dev.switchboard.server.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook event reports; its wire name is the event's {@code type}. */
public enum WebhookEventType {
  /** A socket connected (or was recovered by connection state recovery). */
  CONNECT("connect", false),
  /** A socket disconnected, with the Socket.IO reason. */
  DISCONNECT("disconnect", false),
  /** A room got its first member on any node. */
  ROOM_OCCUPIED("room.occupied", true),
  /** A room lost its last member on every node (or its last node stopped). */
  ROOM_VACATED("room.vacated", true),
  /** A user's first connection entered a room that tracks presence. */
  PRESENCE_JOIN("presence.join", true),
  /** A user's last connection left a room that tracks presence. */
  PRESENCE_LEAVE("presence.leave", true),
  /** A client published to a room with {@code room:publish}; sent only to endpoints that name it. */
  PUBLISH("publish", true);

  private final String wireName;
  private final boolean inRoom;

  WebhookEventType(String wireName, boolean inRoom) {
    this.wireName = wireName;
    this.inRoom = inRoom;
  }

  /** The {@code type} of the event's JSON, such as {@code room.occupied}. */
  public String wireName() {
    return wireName;
  }

  /** Whether the event is about one room, so that a filter may name the rooms it wants. */
  public boolean inRoom() {
    return inRoom;
  }

  public static Optional<WebhookEventType> fromWireName(String name) {
    return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
