package dev.switchboard.socketio.internal;

/** Socket.IO v5 packet type digits. */
public final class SioType {
  public static final char CONNECT = '0';
  public static final char DISCONNECT = '1';
  public static final char EVENT = '2';
  public static final char ACK = '3';
  public static final char CONNECT_ERROR = '4';
  public static final char BINARY_EVENT = '5';
  public static final char BINARY_ACK = '6';

  private SioType() {}
}
