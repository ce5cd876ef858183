package dev.switchboard.server.messages;

/**
 * Told of each message a client published with {@code room:publish} once it is sent to the room
 * (not of refused ones, nor of a repeated id). Runs on the publishing socket's event loop, or on
 * the cluster's I/O thread once a room's history position is known: it must not block.
 */
@FunctionalInterface
public interface PublishListener {
  /** Hears nothing. */
  PublishListener NONE = message -> {};

  void published(PublishedMessage message);
}
