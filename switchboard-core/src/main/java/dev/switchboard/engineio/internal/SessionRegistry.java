package dev.switchboard.engineio.internal;

/** Where sessions are registered by id. */
interface SessionRegistry {
  void remove(RealEngineSession session);
}
