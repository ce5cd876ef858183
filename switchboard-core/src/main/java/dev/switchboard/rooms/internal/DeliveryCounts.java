package dev.switchboard.rooms.internal;

import dev.switchboard.http.internal.LoopCounter;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fan-outs of one server handed to members, shared by the adapters of its namespaces:
 * each loop adds the members a broadcast reached once per broadcast, never once per member.
 */
public final class DeliveryCounts {
  private final LoopCounter delivered = new LoopCounter();
  private final LongAdder volatileDropped = new LongAdder();

  /** {@code members} got a broadcast (volatile ones they then dropped included). */
  void delivered(int members) {
    if (members > 0) {
      delivered.add(members);
    }
  }

  /** A member dropped a volatile broadcast it could not send at once. */
  public void volatileDropped() {
    volatileDropped.increment();
  }

  public long deliveries() {
    return delivered.sum();
  }

  public long volatileDrops() {
    return volatileDropped.sum();
  }
}
