package dev.switchboard.webrtc.internal;

/** Names of call rooms. */
public final class CallRooms {
  /** Prefix of call rooms: {@code call:{id}}. */
  public static final String PREFIX = "call:";

  private CallRooms() {}

  public static boolean isCallRoom(String room) {
    return room.startsWith(PREFIX) && room.length() > PREFIX.length();
  }
}
