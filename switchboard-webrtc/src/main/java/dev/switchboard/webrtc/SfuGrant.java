package dev.switchboard.webrtc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an SFU access token lets its holder do in its room (LiveKit's {@code video} grant, with
 * {@code roomJoin} always true).
 *
 * @param canPublish send audio and video
 * @param canSubscribe receive the others' tracks
 * @param canPublishData send data messages
 * @param roomRecord start recordings of the room (given only when asked for, and only after every
 *     participant consented)
 */
public record SfuGrant(boolean canPublish, boolean canSubscribe, boolean canPublishData, boolean roomRecord) {
  /** Everything but recording: a participant of a room no grant rule limits. */
  public static final SfuGrant PARTICIPANT = new SfuGrant(true, true, true, false);

  public SfuGrant withRoomRecord(boolean roomRecord) {
    return new SfuGrant(canPublish, canSubscribe, canPublishData, roomRecord);
  }

  /** The grant as LiveKit's {@code video} claim of {@code room}. */
  public Map<String, Object> toVideoClaim(String room) {
    Map<String, Object> video = new LinkedHashMap<>();
    video.put("room", room);
    video.put("roomJoin", true);
    video.put("canPublish", canPublish);
    video.put("canSubscribe", canSubscribe);
    video.put("canPublishData", canPublishData);
    if (roomRecord) {
      video.put("roomRecord", true);
    }
    return video;
  }
}
