package dev.switchboard.socketio;

/**
 * Runs before a socket joins a namespace, like Node's {@code io.use((socket, next) => ...)}.
 * Call exactly one of {@link Next}'s methods, now or later, from any thread; a refusal reaches
 * the client as CONNECT_ERROR {@code {message, data}}.
 */
@FunctionalInterface
public interface Middleware {
  void handle(Socket socket, Next next);

  /** Continues or stops the middleware chain. */
  interface Next {
    /** Continues with the next middleware, or connects the socket after the last. */
    void proceed();

    /** Refuses the connection with {@code message}. */
    void fail(String message);

    /**
     * Refuses the connection with {@code message} and {@code data} (any JSON value; the client
     * reads it as the error's {@code data}). Use {@link #fail(String)} for none.
     */
    void fail(String message, Object data);
  }
}
