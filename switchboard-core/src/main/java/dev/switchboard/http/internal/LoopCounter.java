package dev.switchboard.http.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A counter for paths taken once per message or per recipient: each thread adds to a slot of its
 * own with a plain store (no atomic instruction, no shared cache line), and a reader sums the
 * slots. An event loop reaches its slot through Netty's indexed thread locals, one array read.
 * Meant for the few counters of a server; every thread that ever counted keeps its slot (and its
 * count) for the counter's lifetime.
 */
public final class LoopCounter {
  private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
  private final FastThreadLocal<Slot> own = new FastThreadLocal<>() {
    @Override
    protected Slot initialValue() {
      Slot slot = new Slot();
      slots.add(slot);
      return slot;
    }
  };

  /** Adds {@code n}; any thread. */
  public void add(long n) {
    own.get().add(n);
  }

  public void increment() {
    own.get().add(1);
  }

  /** The sum over every thread: exact once the counting threads are quiet, else a recent value. */
  public long sum() {
    long sum = 0;
    for (Slot slot : slots) {
      sum += slot.get();
    }
    return sum;
  }

  /** One thread's count: written by that thread only, read by any. */
  private static final class Slot {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Slot.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private long value;

    void add(long n) {
      // The owner's own last write is always visible to it: a plain read, then an opaque write
      // that readers on other threads see whole.
      VALUE.setOpaque(this, value + n);
    }

    long get() {
      return (long) VALUE.getOpaque(this);
    }
  }
}
