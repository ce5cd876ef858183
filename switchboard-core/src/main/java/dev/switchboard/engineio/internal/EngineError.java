package dev.switchboard.engineio.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The error answers of the Engine.IO v4 reference server, with their codes and messages. */
public enum EngineError {
  TRANSPORT_UNKNOWN(0, "Transport unknown", HttpResponseStatus.BAD_REQUEST),
  UNKNOWN_SID(1, "Session ID unknown", HttpResponseStatus.BAD_REQUEST),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method", HttpResponseStatus.BAD_REQUEST),
  BAD_REQUEST(3, "Bad request", HttpResponseStatus.BAD_REQUEST),
  FORBIDDEN(4, "Forbidden", HttpResponseStatus.FORBIDDEN),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", HttpResponseStatus.BAD_REQUEST),
  /** Not in the reference server: a connection cap (total or per IP) is reached. */
  TOO_MANY_CONNECTIONS(4, "Too many connections", HttpResponseStatus.SERVICE_UNAVAILABLE),
  /** Not in the reference server: the server is draining before it stops, and takes no new connection. */
  DRAINING(4, "Server draining: connect to another node", HttpResponseStatus.SERVICE_UNAVAILABLE),
  /** Not in the reference server: one IP address opens connections faster than allowed. */
  CONNECTING_TOO_FAST(4, "Too many new connections", HttpResponseStatus.TOO_MANY_REQUESTS),
  /** Not in the reference server: the node that owns the session did not answer a forwarded poll. */
  SESSION_UNREACHABLE(1, "Session unreachable", HttpResponseStatus.SERVICE_UNAVAILABLE),
  /** Not in the reference server: a WebSocket upgrade reached a node other than the session's owner. */
  UPGRADE_ELSEWHERE(3, "Upgrade must reach the node that owns the session", HttpResponseStatus.BAD_REQUEST);

  private final int code;
  private final String message;
  private final HttpResponseStatus status;

  EngineError(int code, String message, HttpResponseStatus status) {
    this.code = code;
    this.message = message;
    this.status = status;
  }

  public int code() {
    return code;
  }

  public String message() {
    return message;
  }

  public HttpResponseStatus status() {
    return status;
  }

  /** The JSON body: {@code {"code":1,"message":"Session ID unknown"}}. */
  public String json() {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }
}
