package dev.switchboard.bench.soak;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections that come and go: each {@link #connectNext} opens one more, and once more than
 * {@code size} are open the oldest is ended, in turn by the {@link EndMix}: a clean close, a TCP
 * reset, or going silent (pings unanswered) until the server's ping timeout ends it. Some of the
 * new connections join one of the stayers' rooms and a room of their own. Counts everything,
 * throws nothing.
 */
public final class ChurnPool {
  private final ClientGroup group;
  private final int size;
  private final SoakRooms rooms;
  private final EndMix mix;
  private final String name;
  private final String connectPacket;
  private final Semaphore pending;
  private final ConcurrentLinkedDeque<SioConnection> open = new ConcurrentLinkedDeque<>();
  private final AtomicInteger openCount = new AtomicInteger();
  /** Connections this pool ended (or will end) itself: their close is expected. */
  private final Set<SioConnection> ending = ConcurrentHashMap.newKeySet();
  /** Silent connections and when they went silent (nanoTime). */
  private final Map<SioConnection, Long> silentSince = new ConcurrentHashMap<>();
  private final AtomicLong ends = new AtomicLong();
  private final Counter attempted = new Counter();
  private final Counter connected = new Counter();
  private final Counter failed = new Counter();
  private final Counter skipped = new Counter();
  private final Counter joins = new Counter();
  private final Counter clean = new Counter();
  private final Counter resets = new Counter();
  private final Counter drops = new Counter();
  private final Counter reaped = new Counter();
  private final Counter unexpected = new Counter();
  private final Counter closed = new Counter();
  private final AtomicLong slowestReapNanos = new AtomicLong();

  /**
   * A pool of at most {@code size} connections (after its own ends) in {@code group}, at most
   * {@code maxPending} handshakes in flight; {@code name} keeps its own rooms apart from other pools';
   * each connection connects to the main namespace with {@code connectPacket}.
   */
  public ChurnPool(ClientGroup group, int size, int maxPending, SoakRooms rooms, EndMix mix, String name,
      String connectPacket) {
    this.group = group;
    this.connectPacket = connectPacket;
    this.size = size;
    this.rooms = rooms;
    this.mix = mix;
    this.name = name;
    this.pending = new Semaphore(maxPending);
  }

  /** Opens the {@code index}th connection (skipped, and counted, while too many handshakes are in flight). */
  public void connectNext(long index) {
    attempted.increment();
    if (!pending.tryAcquire()) {
      skipped.increment();
      return;
    }
    group.connect(0, listener).whenComplete((connection, error) -> {
      pending.release();
      if (error != null) {
        failed.increment();
        return;
      }
      connected.increment();
      if (mix.joins(index)) {
        connection.emitWithAck("join", SioFrames.quoted(rooms.name((int) (index % rooms.count()))));
        connection.emitWithAck("join", SioFrames.quoted("own-" + name + "-" + index));
      }
      open.addLast(connection);
      if (openCount.incrementAndGet() > size) {
        endOldest();
      }
    });
  }

  private void endOldest() {
    SioConnection oldest = open.pollFirst();
    if (oldest == null) {
      return;
    }
    openCount.decrementAndGet();
    switch (mix.end(ends.getAndIncrement())) {
      case CLEAN -> {
        clean.increment();
        ending.add(oldest);
        oldest.closeCleanly();
      }
      case RESET -> {
        resets.increment();
        ending.add(oldest);
        oldest.reset();
      }
      case SILENT -> {
        drops.increment();
        silentSince.put(oldest, System.nanoTime());
        oldest.goSilent();
      }
    }
  }

  /** Ends every connection still open, cleanly, the silent ones too; waits (bounded) for them to close. */
  public void closeAll(double maxSeconds) {
    SioConnection connection;
    while ((connection = open.pollFirst()) != null) {
      openCount.decrementAndGet();
      ending.add(connection);
      connection.closeCleanly();
    }
    for (SioConnection silent : silentSince.keySet()) {
      ending.add(silent);
      silent.close();
    }
    closed.awaitAtLeast(connected.value(), maxSeconds);
  }

  private final SioListener listener = new SioListener() {
    @Override
    public String connectPacket() {
      return connectPacket;
    }

    @Override
    public void onAck(SioConnection connection, long ackId, String packet) {
      joins.increment();
    }

    @Override
    public void onClose(SioConnection connection) {
      Long since = silentSince.remove(connection);
      if (since != null && !ending.remove(connection)) {
        reaped.increment();
        slowestReapNanos.accumulateAndGet(System.nanoTime() - since, Math::max);
      } else if (since == null && !ending.remove(connection)) {
        unexpected.increment();
      }
      closed.increment();
    }
  };

  /** What happened so far, as the fields of a worker's line. */
  public JsonLine tally() {
    return new JsonLine()
        .put("attempted", attempted.value())
        .put("connected", connected.value())
        .put("failed", failed.value())
        .put("skipped", skipped.value())
        .put("joinAcks", joins.value())
        .put("cleanCloses", clean.value())
        .put("resets", resets.value())
        .put("silentDrops", drops.value())
        .put("reapedByServer", reaped.value())
        .put("slowestReapS", slowestReapNanos.get() / 1e9)
        .put("unexpectedCloses", unexpected.value())
        .put("closed", closed.value())
        .put("openNow", openCount.get());
  }
}
