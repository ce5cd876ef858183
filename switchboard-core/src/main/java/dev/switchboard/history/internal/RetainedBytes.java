package dev.switchboard.history.internal;

import java.util.ArrayDeque;

/**
 * One process-wide byte budget over everything kept for later (room history, recovery logs):
 * each kept message is charged here when kept and released when its keeper lets it go; when the
 * total exceeds the budget, the oldest message of any keeper is evicted first. Keepers charge
 * their messages in the order they keep them, and let them go oldest first, so the oldest charge
 * still held is always its keeper's oldest message. Thread-safe.
 */
public final class RetainedBytes {
  /**
   * What the budget counts per kept message beyond its payload: the objects that hold it (entry,
   * record, queue slots, this charge).
   */
  public static final int OVERHEAD_PER_MESSAGE = 160;

  /** A kept message's charge. */
  public static final class Charge {
    private final Keeper keeper;
    private final long bytes;
    /** Guarded by the budget. */
    private boolean released;

    private Charge(Keeper keeper, long bytes) {
      this.keeper = keeper;
      this.bytes = bytes;
    }

    public long bytes() {
      return bytes;
    }
  }

  /** Whoever keeps charged messages. */
  public interface Keeper {
    /**
     * Lets go of the message of {@code charge} if it is still kept (it is then the keeper's
     * oldest), releasing the charge. Called without any lock of the budget held.
     */
    void evict(Charge charge);
  }

  private final long maxBytes;
  private final ArrayDeque<Charge> order = new ArrayDeque<>();
  private long total;
  private int held;

  /** A budget of {@code maxBytes} in total; {@link Long#MAX_VALUE} for none. */
  public RetainedBytes(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
  }

  public static RetainedBytes unbounded() {
    return new RetainedBytes(Long.MAX_VALUE);
  }

  /** Charges a message of {@code payloadBytes} kept by {@code keeper}; call in the order messages are kept. */
  public Charge charge(Keeper keeper, long payloadBytes) {
    Charge charge = new Charge(keeper, payloadBytes + OVERHEAD_PER_MESSAGE);
    synchronized (this) {
      order.addLast(charge);
      total += charge.bytes;
      held++;
      if (order.size() > 2 * held + 64) {
        order.removeIf(c -> c.released);
      }
    }
    return charge;
  }

  /** Releases {@code charge}; a second release of the same charge does nothing. */
  public synchronized void release(Charge charge) {
    if (!charge.released) {
      charge.released = true;
      total -= charge.bytes;
      held--;
    }
  }

  /**
   * Evicts the oldest kept messages, whoever keeps them, until the total is within the budget.
   * Call after keeping, without holding a keeper's lock.
   */
  public void enforce() {
    while (true) {
      Charge oldest;
      synchronized (this) {
        if (total <= maxBytes) {
          return;
        }
        do {
          oldest = order.pollFirst();
        } while (oldest != null && oldest.released);
        if (oldest == null) {
          return;
        }
      }
      oldest.keeper.evict(oldest);
      release(oldest);
    }
  }

  /** The bytes charged now. */
  public synchronized long total() {
    return total;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
