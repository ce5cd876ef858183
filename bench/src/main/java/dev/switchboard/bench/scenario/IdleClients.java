package dev.switchboard.bench.scenario;

/**
 * The client side of the idle scenario: connections opened in this process
 * ({@link LocalIdleClients}) or spread over load-generator child processes ({@link IdleWorkers}).
 */
interface IdleClients extends AutoCloseable {
  /** Opens every connection; returns once each is open or has failed (bounded). */
  IdleTally ramp();

  /** The hold begins: pings are counted from here on. */
  void holdStarts();

  /** The counts now, the connections still held. */
  IdleTally tally();

  @Override
  void close();
}
