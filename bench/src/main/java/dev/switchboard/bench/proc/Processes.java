package dev.switchboard.bench.proc;

import java.util.concurrent.TimeUnit;

/** Ending the child processes a run starts. */
final class Processes {
  private Processes() {}

  /** Kills {@code process} at once (SIGKILL) and waits for it to end. */
  static void kill(Process process) {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL when {@code process} has not ended within five seconds. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
