package dev.switchboard.bench.soak;

import java.util.BitSet;

/**
 * What one stayer received of its room's numbered stream: every number once is a delivery, a
 * number seen again a duplicate. Fed from the connection's event loop, read once the stream ended.
 */
public final class StayerInbox {
  private final int room;
  private final BitSet seen = new BitSet();
  private long duplicates;
  private boolean disconnected;

  public StayerInbox(int room) {
    this.room = room;
  }

  public int room() {
    return room;
  }

  public synchronized void receive(int number) {
    if (seen.get(number)) {
      duplicates++;
    } else {
      seen.set(number);
    }
  }

  public synchronized void disconnected() {
    disconnected = true;
  }

  /** Distinct numbers received among the first {@code published}. */
  public synchronized long received(int published) {
    return seen.get(0, Math.max(0, published)).cardinality();
  }

  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized boolean wasDisconnected() {
    return disconnected;
  }
}
