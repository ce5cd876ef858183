package dev.switchboard.socketio;

/**
 * An event received from a client: its name, its arguments and, when the client asked for one,
 * the means to acknowledge it.
 */
public interface Event {
  String name();

  Args args();

  /** Shorthand for {@code args().get(index, type)}. */
  default <T> T arg(int index, Class<T> type) {
    return args().get(index, type);
  }

  /** Whether the client waits for an acknowledgement. */
  boolean hasAck();

  /** Acknowledges the event with {@code args}; only the first call sends anything. */
  void ack(Object... args);

  /** The socket that sent the event. */
  Socket socket();
}
