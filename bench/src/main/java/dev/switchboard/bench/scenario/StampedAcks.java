package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;

/**
 * The acks of an echo's requests: each carries back the stamp its request was sent with, while
 * the answer to a {@code join} carries none and is only counted.
 */
abstract class StampedAcks implements SioListener {
  /** Answers to joins. */
  final Counter joins = new Counter();

  @Override
  public final void onAck(SioConnection connection, long ackId, String packet) {
    long now = System.nanoTime();
    long stamp = SioFrames.stamp(packet);
    if (stamp < 0) {
      joins.increment();
      return;
    }
    onStamped(connection, stamp, now);
  }

  /** The ack of a request sent at {@code stamp} (nanoTime), arrived at {@code now}. */
  abstract void onStamped(SioConnection connection, long stamp, long now);
}
