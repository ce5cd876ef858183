package dev.switchboard.socketio;

/**
 * An event received from a client: its name, its arguments and, when the client asked for one,
 * the means to acknowledge it.
 */
public interface Event {
  String name();

  Args args();

  /** Shorthand for {@code args().get(index, type)}; {@link ArgumentException} when it does not bind. */
  default <T> T arg(int index, Class<T> type) {
    return args().get(index, type);
  }

  /** Whether the client waits for an acknowledgement. */
  boolean hasAck();

  /**
   * Acknowledges the event with {@code args}; only the first call sends anything. Callable from
   * any thread (a callback of asynchronous work, say): the answer is written on the socket's
   * event loop. When a listener throws, a pending acknowledgement is answered with
   * {@code {ok:false, error:{code, message}}}: {@code INVALID_ARGUMENT} for an
   * {@link ArgumentException}, {@code INTERNAL} otherwise.
   */
  void ack(Object... args);

  /** The socket that sent the event. */
  Socket socket();
}
