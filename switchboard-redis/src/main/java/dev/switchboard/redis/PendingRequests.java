package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests this node sent and the replies gathered so far. A request completes when as many
 * nodes answered as were expected, or at its timeout with the replies it has.
 */
final class PendingRequests {
  private final String nodeId;
  private final ScheduledExecutorService timer;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final LongAdder timedOut = new LongAdder();

  /** One request's replies; completes once. */
  final class Pending {
    final String id;
    final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();
    private final List<JsonNode> replies = new ArrayList<>();
    private int expected = -1;

    Pending(String id) {
      this.id = id;
    }

    synchronized void reply(JsonNode body) {
      replies.add(body);
      completeIfDone();
    }

    /** How many nodes will answer; known once the request is published. */
    synchronized void expect(int nodes) {
      expected = Math.max(0, nodes);
      completeIfDone();
    }

    synchronized void finish() {
      pending.remove(id);
      result.complete(List.copyOf(replies));
    }

    private void completeIfDone() {
      if (expected >= 0 && replies.size() >= expected) {
        finish();
      }
    }
  }

  PendingRequests(String nodeId, ScheduledExecutorService timer) {
    this.nodeId = nodeId;
    this.timer = timer;
  }

  Pending open(Duration timeout) {
    Pending request = new Pending(nodeId + ":" + ids.incrementAndGet());
    pending.put(request.id, request);
    timer.schedule(() -> {
      if (!request.result.isDone()) {
        timedOut.increment();
        request.finish();
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return request;
  }

  void reply(String id, JsonNode body) {
    Pending request = pending.get(id);
    if (request != null) {
      request.reply(body);
    }
  }

  /** Requests that completed at their timeout, with fewer replies than nodes. */
  long timedOut() {
    return timedOut.sum();
  }
}
