package dev.switchboard.rooms.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock that event loops hold a few microseconds at a time. A thread finding it taken spins
 * while the holder runs, then yields its core (the holder may be waiting for one: the operating
 * system paused it), and only then parks: a parked event loop waits for a wake-up, and every
 * request queued on it waits with it.
 */
public final class SpinLock {
  private static final int SPINS = 200;
  private static final int YIELDS = 20;

  private final ReentrantLock lock = new ReentrantLock();

  public void lock() {
    for (int tries = 0; tries < SPINS + YIELDS; tries++) {
      if (lock.tryLock()) {
        return;
      }
      if (tries < SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    lock.lock();
  }

  public void unlock() {
    lock.unlock();
  }
}
