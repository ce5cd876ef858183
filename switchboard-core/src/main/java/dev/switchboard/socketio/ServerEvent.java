package dev.switchboard.socketio;

/**
 * An event another node of the cluster sent to this namespace with
 * {@link Namespace#serverSideEmit} or {@link Namespace#serverSideEmitWithAck}.
 */
public interface ServerEvent {
  String name();

  Args args();

  /** Shorthand for {@code args().get(index, type)}. */
  default <T> T arg(int index, Class<T> type) {
    return args().get(index, type);
  }

  /** Whether the sending node waits for an answer. */
  boolean hasAck();

  /** Answers the sending node with {@code args}; only this node's first answer is sent. */
  void ack(Object... args);
}
