package dev.switchboard.webrtc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a call room stands on recording: who takes part, who answered what, and whether it is
 * being recorded.
 *
 * @param room the call room
 * @param participants the users with a connection in the room, on any node
 * @param consented the participants who agreed to be recorded
 * @param declined the participants who refused
 * @param notConsented the participants who have not agreed (refused, or not answered yet)
 * @param recordingBy who started the recording under way; empty when none is
 */
public record ConsentState(String room, List<String> participants, List<String> consented, List<String> declined,
    List<String> notConsented, Optional<String> recordingBy) {
  public ConsentState {
    Objects.requireNonNull(room, "room");
    participants = List.copyOf(participants);
    consented = List.copyOf(consented);
    declined = List.copyOf(declined);
    notConsented = List.copyOf(notConsented);
    Objects.requireNonNull(recordingBy, "recordingBy");
  }

  /** Whether the room may be recorded now: every participant agreed. */
  public boolean recordingAllowed() {
    return notConsented.isEmpty();
  }

  /** Whether a recording is under way. */
  public boolean recording() {
    return recordingBy.isPresent();
  }

  /** The payload of {@code call:consent:state}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("room", room);
    json.put("participants", participants);
    json.put("consented", consented);
    json.put("declined", declined);
    json.put("notConsented", notConsented);
    json.put("recordingAllowed", recordingAllowed());
    json.put("recording", recording());
    recordingBy.ifPresent(by -> json.put("recordingBy", by));
    return json;
  }
}
