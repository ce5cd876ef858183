package dev.switchboard.bench.proc;

import java.util.concurrent.TimeUnit;

/** Ending the child processes a run starts. */
final class Processes {
  private Processes() {}

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
