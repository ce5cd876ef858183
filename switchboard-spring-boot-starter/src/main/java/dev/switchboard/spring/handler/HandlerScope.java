package dev.switchboard.spring.handler;

import dev.switchboard.socketio.Socket;

/**
 * Runs around each handler call, on the handler's thread, to give it a context of its socket
 * (Spring Security's, say). The payloads are bound and validated before.
 */
@FunctionalInterface
public interface HandlerScope {
  /** Calls the handler as it is. */
  HandlerScope NONE = (socket, handler) -> handler.proceed();

  Object run(Socket socket, Invocation handler) throws Throwable;

  /** The handler's call; what it throws is its own exception, unwrapped. */
  @FunctionalInterface
  interface Invocation {
    Object proceed() throws Throwable;
  }
}
