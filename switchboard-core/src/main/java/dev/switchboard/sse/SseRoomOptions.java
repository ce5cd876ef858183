package dev.switchboard.sse;

import java.util.Objects;

/**
 * Options of the SSE room endpoint ({@code GET /sse?rooms=a,b}).
 *
 * @param stream the stream options (retry hint, heartbeat, slow-client budget, CORS)
 * @param maxRooms most rooms one stream may subscribe to
 * @param replayLimit most messages replayed per room on resume
 * @param policy who may subscribe to which room
 */
public record SseRoomOptions(SseOptions stream, int maxRooms, int replayLimit, SseRoomPolicy policy) {
  public static final int DEFAULT_MAX_ROOMS = 32;
  public static final int DEFAULT_REPLAY_LIMIT = 1000;
  public static final SseRoomOptions DEFAULTS =
      new SseRoomOptions(SseOptions.DEFAULTS, DEFAULT_MAX_ROOMS, DEFAULT_REPLAY_LIMIT, SseRoomPolicy.ALLOW_ALL);

  public SseRoomOptions {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(policy, "policy");
    if (maxRooms < 1 || replayLimit < 1) {
      throw new IllegalArgumentException("maxRooms and replayLimit must be positive");
    }
  }

  public SseRoomOptions withStream(SseOptions stream) {
    return new SseRoomOptions(stream, maxRooms, replayLimit, policy);
  }

  public SseRoomOptions withPolicy(SseRoomPolicy policy) {
    return new SseRoomOptions(stream, maxRooms, replayLimit, policy);
  }

  public SseRoomOptions withMaxRooms(int maxRooms) {
    return new SseRoomOptions(stream, maxRooms, replayLimit, policy);
  }
}
