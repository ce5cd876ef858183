package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterAcks;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages this node sent whose answers come back one by one (acknowledgements of a broadcast,
 * answers to a server-side event), each open until its timeout; later answers are dropped.
 */
final class PendingAcks {
  private final String nodeId;
  private final ScheduledExecutorService timer;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<String, ClusterAcks> open = new ConcurrentHashMap<>();

  PendingAcks(String nodeId, ScheduledExecutorService timer) {
    this.nodeId = nodeId;
    this.timer = timer;
  }

  /** Opens a message whose answers go to {@code acks} for {@code timeout}; returns its id. */
  String open(ClusterAcks acks, Duration timeout) {
    String id = nodeId + ":a" + ids.incrementAndGet();
    open.put(id, acks);
    timer.schedule(() -> open.remove(id), timeout.toMillis(), TimeUnit.MILLISECONDS);
    return id;
  }

  /** Where the answers of message {@code id} go, or null once it closed. */
  ClusterAcks get(String id) {
    return open.get(id);
  }
}
