package dev.switchboard.spring.handler;

/**
 * Answers the acknowledgement the client asked for with its event; only the first answer is sent,
 * and none when the client asked for none.
 */
@FunctionalInterface
public interface Ack {
  void send(Object... args);
}
