package dev.switchboard.server.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops page's live feed: while at least one page follows it, one cluster snapshot is taken
 * every {@link #INTERVAL} and the same encoded {@code snapshot} event goes to every follower. With
 * no follower nothing is taken. A snapshot still being gathered when the next is due makes that
 * one skip, never pile up.
 */
final class OpsStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpsStream.class);
  /** How often a snapshot is sent. */
  static final Duration INTERVAL = Duration.ofSeconds(2);
  /** The SSE event name of a snapshot. */
  static final String EVENT = "snapshot";

  private final ClusterSnapshots snapshots;
  private final Set<SseStream> followers = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "switchboard-ops");
    thread.setDaemon(true);
    return thread;
  });
  /** Guarded by this. */
  private ScheduledFuture<?> ticking;
  /** Whether a snapshot is being gathered; guarded by this. */
  private boolean taking;
  /** The last snapshot sent, for a follower that comes between two. */
  private volatile Optional<String> latest = Optional.empty();

  OpsStream(ClusterSnapshots snapshots) {
    this.snapshots = snapshots;
  }

  /** Sends {@code stream} the latest snapshot, then every new one until it closes. */
  void follow(SseStream stream) {
    followers.add(stream);
    stream.onClose(() -> {
      followers.remove(stream);
      stopWhenNobodyFollows();
    });
    latest.ifPresent(json -> stream.send(SseEvent.of(EVENT, json)));
    synchronized (this) {
      if (ticking == null && stream.isOpen()) {
        ticking = timer.scheduleAtFixedRate(this::tick, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The number of pages following now. */
  int followers() {
    return followers.size();
  }

  private synchronized void stopWhenNobodyFollows() {
    if (followers.isEmpty() && ticking != null) {
      ticking.cancel(false);
      ticking = null;
      latest = Optional.empty();
    }
  }

  private void tick() {
    synchronized (this) {
      if (taking) {
        return;
      }
      taking = true;
    }
    snapshots.take().whenComplete((snapshot, failure) -> {
      synchronized (this) {
        taking = false;
      }
      if (failure != null) {
        log.warn("ops snapshot failed: {}", failure.toString());
        return;
      }
      try {
        send(ClusterSnapshots.MAPPER.writeValueAsString(snapshot));
      } catch (JsonProcessingException e) {
        log.warn("ops snapshot could not be written: {}", e.toString());
      }
    });
  }

  private void send(String json) {
    latest = Optional.of(json);
    ByteBuf encoded = SseEncoder.encode(SseEvent.of(EVENT, json), ByteBufAllocator.DEFAULT);
    try {
      followers.forEach(stream -> stream.sendShared(encoded));
    } finally {
      encoded.release();
    }
  }

  @Override
  public void close() {
    followers.forEach(SseStream::close);
    timer.shutdownNow();
  }
}
