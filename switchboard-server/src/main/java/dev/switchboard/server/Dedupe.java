package dev.switchboard.server;

import java.util.concurrent.CompletableFuture;

/** Tells whether a message id is new within the de-duplication window. */
interface Dedupe {
  /** Completes with true the first time {@code key} is seen within the window, false for a repeat. */
  CompletableFuture<Boolean> firstTime(String key);

  /** The window of this node alone: a single server's. */
  static Dedupe local(DedupeWindow window) {
    return key -> CompletableFuture.completedFuture(window.firstTime(key));
  }
}
