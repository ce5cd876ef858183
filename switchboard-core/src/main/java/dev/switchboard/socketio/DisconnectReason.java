package dev.switchboard.socketio;

import dev.switchboard.engineio.CloseReason;

/** Why a socket disconnected; the text is what Node's socket.io reports. */
public enum DisconnectReason {
  /** The server called {@code socket.disconnect()}. */
  SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
  /** The client called {@code socket.disconnect()}. */
  CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
  /** The server is shutting down. */
  SERVER_SHUTTING_DOWN("server shutting down"),
  /** No pong arrived in time. */
  PING_TIMEOUT("ping timeout"),
  /** The connection was closed (the user went away, the network changed). */
  TRANSPORT_CLOSE("transport close"),
  /** The connection failed. */
  TRANSPORT_ERROR("transport error"),
  /** The client sent a packet that is not valid Socket.IO. */
  PARSE_ERROR("parse error"),
  /** The client did not read fast enough and its outbound budget ran out. */
  SLOW_CONSUMER("slow consumer"),
  /** The client sent more events than its rate limit allows, for too long. */
  RATE_LIMITED("rate limit exceeded"),
  /** The server closed the underlying connection. */
  FORCED_CLOSE("forced close"),
  /** The client did not join a namespace within connectTimeout. */
  FORCED_SERVER_CLOSE("forced server close"),
  /** The server disconnected the socket because its access token expired without a refresh. */
  TOKEN_EXPIRED("token expired");

  private final String text;

  DisconnectReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  /** The reason a socket sees when its Engine.IO session closes for {@code reason}. */
  public static DisconnectReason of(CloseReason reason) {
    return switch (reason) {
      case TRANSPORT_CLOSE -> TRANSPORT_CLOSE;
      case TRANSPORT_ERROR -> TRANSPORT_ERROR;
      case PING_TIMEOUT -> PING_TIMEOUT;
      case PARSE_ERROR -> PARSE_ERROR;
      case SLOW_CONSUMER -> SLOW_CONSUMER;
      case FORCED_CLOSE -> FORCED_CLOSE;
      case SERVER_SHUTTING_DOWN -> SERVER_SHUTTING_DOWN;
    };
  }
}
