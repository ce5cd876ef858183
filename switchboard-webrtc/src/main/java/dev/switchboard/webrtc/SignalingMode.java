package dev.switchboard.webrtc;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who may send WebRTC signals to whom. */
public enum SignalingMode {
  /**
   * Only users who share a call: the sending connection is in a call room ({@code call:*}) where
   * the target user is present. The default.
   */
  CALL_ROOMS("call-rooms"),
  /**
   * Any user to any other user. Unsafe for most applications: anyone who can connect learns which
   * user ids are online and can ring them, offering SDP that reveals the sender's addresses to the
   * target and makes the target's browser gather and send its own.
   */
  OPEN("open");

  private final String wireName;

  SignalingMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name in configuration: {@code call-rooms} or {@code open}. */
  public String wireName() {
    return wireName;
  }

  /** The mode named {@code name} in configuration (case-insensitive). */
  public static Optional<SignalingMode> fromWireName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(mode -> mode.wireName.equals(wanted)).findFirst();
  }
}
