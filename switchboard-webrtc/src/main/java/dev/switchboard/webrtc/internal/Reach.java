package dev.switchboard.webrtc.internal;

import dev.switchboard.webrtc.SignalingError;
import java.util.Optional;

/** Whether a signal may go to its target, as found in the cluster's presence. */
public sealed interface Reach {
  /** It may: the target is connected and, unless signaling is open, present in {@code call}. */
  record Reachable(Optional<String> call) implements Reach {}

  /** It may not. */
  record Refused(SignalingError code, String message) implements Reach {}
}
