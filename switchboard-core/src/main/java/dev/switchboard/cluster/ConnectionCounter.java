package dev.switchboard.cluster;

import java.util.concurrent.CompletableFuture;

/** Counts each user's open connections over every node, for the per-user connection cap. */
public interface ConnectionCounter {
  /**
   * Counts {@code connectionId} for {@code userId} unless the user already has {@code max}
   * connections; completes with whether it was counted. Must not block.
   */
  CompletableFuture<Boolean> admit(String userId, String connectionId, int max);

  /** Forgets {@code connectionId} of {@code userId}. Must not block. */
  void release(String userId, String connectionId);
}
