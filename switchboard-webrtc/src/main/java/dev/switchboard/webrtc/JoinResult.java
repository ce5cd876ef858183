package dev.switchboard.webrtc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What came of {@link WebRtcSignaling#join}: the socket joined, or the call is full. */
public sealed interface JoinResult {
  /** The room joined (or already in). */
  String room();

  /** The socket is in {@code room}. */
  record Joined(String room) implements JoinResult {
    public Joined {
      Objects.requireNonNull(room, "room");
    }
  }

  /**
   * The call room already has {@code limit} users: the socket did not join.
   *
   * @param room the call room
   * @param limit the mesh limit it reached
   */
  record CallFull(String room, int limit) implements JoinResult {
    public CallFull {
      Objects.requireNonNull(room, "room");
    }

    public String message() {
      return "\"" + room + "\" has " + limit + " participants already, the most a peer-to-peer mesh takes;"
          + " use an SFU for larger calls";
    }

    /** The error of the refused join: {@code {code: "CALL_FULL", message, sfu: true, limit}}. */
    public Map<String, Object> error() {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", SignalingError.CALL_FULL.name());
      error.put("message", message());
      error.put("sfu", true);
      error.put("limit", limit);
      return error;
    }
  }
}
