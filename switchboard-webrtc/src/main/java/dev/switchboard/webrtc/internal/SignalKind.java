package dev.switchboard.webrtc.internal;

import java.util.Set;

/** The three signals of a WebRTC negotiation, each an event of the same name in both directions. */
public enum SignalKind {
  OFFER("webrtc:offer", "sdp", Set.of("offer")),
  ANSWER("webrtc:answer", "sdp", Set.of("answer", "pranswer")),
  ICE_CANDIDATE("webrtc:ice-candidate", "candidate", Set.of());

  private final String event;
  private final String field;
  private final Set<String> descriptionTypes;

  SignalKind(String event, String field, Set<String> descriptionTypes) {
    this.event = event;
    this.field = field;
    this.descriptionTypes = descriptionTypes;
  }

  /** The event name, sent by the caller and received by the target. */
  public String event() {
    return event;
  }

  /** The payload field carrying the signal: {@code sdp} or {@code candidate}. */
  public String field() {
    return field;
  }

  /** The session description types this event may carry; none for a candidate. */
  Set<String> descriptionTypes() {
    return descriptionTypes;
  }
}
