package dev.switchboard.auth;

import java.util.Locale;

/** What a principal wants to do with a room. */
public enum RoomAction {
  /** Join the room (Socket.IO {@code room:join}, or follow it over SSE). */
  JOIN,
  /** Publish to the room ({@code room:publish}). */
  PUBLISH;

  /** {@code join} or {@code publish}, as sent to an authorization webhook. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
