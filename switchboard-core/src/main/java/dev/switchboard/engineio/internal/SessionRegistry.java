package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;

/** Where sessions are registered by id. */
interface SessionRegistry {
  void remove(RealEngineSession session);

  /** A session stopped being open, for {@code reason}; called once per session. */
  default void ended(CloseReason reason) {}
}
