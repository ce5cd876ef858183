package dev.switchboard.engineio;

/** Why an Engine.IO session ended; the text is the one Node's engine.io reports. */
public enum CloseReason {
  /** The client closed the connection or sent a close packet. */
  TRANSPORT_CLOSE("transport close"),
  /** The connection failed, or the client broke the protocol (duplicate poll, invalid packet...). */
  TRANSPORT_ERROR("transport error"),
  /** No pong arrived within pingTimeout after a ping. */
  PING_TIMEOUT("ping timeout"),
  /** The client sent a packet that could not be decoded. */
  PARSE_ERROR("parse error"),
  /** The client did not read fast enough: more than maxBufferedBytes waited to be sent to it. */
  SLOW_CONSUMER("slow consumer"),
  /** The server closed the session. */
  FORCED_CLOSE("forced close"),
  /** The server is shutting down. */
  SERVER_SHUTTING_DOWN("server shutting down");

  private final String text;

  CloseReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
