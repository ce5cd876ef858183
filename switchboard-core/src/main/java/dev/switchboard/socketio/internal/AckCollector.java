package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.PayloadException;
import dev.switchboard.http.internal.Json;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the acknowledgements of a broadcast: complete when every targeted socket answered,
 * failed with the partial answers at the timeout. Sockets answer from many event loops. A part
 * is this node's sockets of one namespace, or the other nodes of the cluster: those first say
 * how many of them will report, then each reports how many sockets it reached.
 */
final class AckCollector {
  private static final Logger log = LoggerFactory.getLogger(AckCollector.class);

  private final CompletableFuture<List<Args>> result = new CompletableFuture<>();
  private final List<Args> received = new ArrayList<>();
  private final List<Runnable> onTimeout = new ArrayList<>();
  private final ScheduledFuture<?> timer;
  private int partsPending;
  private int expected;
  /** Other nodes still to report; below zero when reports came before the node count. */
  private int nodesPending;

  AckCollector(int parts, Duration timeout, String event) {
    this.partsPending = parts;
    this.timer = GlobalEventExecutor.INSTANCE.schedule(() -> expire(event, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> timer.cancel(false));
    if (parts == 0) {
      // No namespace to send to (a dynamic family without children): no answer to wait for.
      result.complete(List.of());
    }
  }

  /**
   * A future completed like {@code source}, with the same value or exception, by a task of
   * {@code executor}: what waits for it runs there rather than on the thread that completed it.
   */
  static <T> CompletableFuture<T> completingOn(CompletableFuture<T> source, java.util.concurrent.Executor executor) {
    CompletableFuture<T> handed = new CompletableFuture<>();
    source.whenComplete((value, error) -> executor.execute(() -> {
      if (error == null) {
        handed.complete(value);
      } else {
        handed.completeExceptionally(error);
      }
    }));
    return handed;
  }

  CompletableFuture<List<Args>> result() {
    return result;
  }

  /** One part of the broadcast (one namespace) reached {@code sockets} sockets. */
  synchronized void partDone(int sockets) {
    partsPending--;
    expected += sockets;
    check();
  }

  /** The other nodes part: {@code nodes} of them will report through {@link #fromOtherNodes()}. */
  synchronized void otherNodes(int nodes) {
    partsPending--;
    nodesPending += nodes;
    check();
  }

  /** Where the other nodes' reports and answers go. */
  ClusterAcks fromOtherNodes() {
    return new ClusterAcks() {
      @Override
      public void reached(int answers) {
        synchronized (AckCollector.this) {
          nodesPending--;
          expected += answers;
          check();
        }
      }

      @Override
      public void answer(byte[] argsJson, List<byte[]> attachments) {
        Args args;
        try {
          args = Args.of(Json.decodeArray(argsJson, attachments));
        } catch (IOException | PayloadException e) {
          log.warn("dropped an unreadable acknowledgement from another node: {}", e.getMessage());
          return;
        }
        receive(args);
      }
    };
  }

  synchronized void receive(Args args) {
    received.add(args);
    check();
  }

  /** What to undo at the timeout (forgetting the ack ids registered on sockets). */
  synchronized void onTimeout(Runnable cleanup) {
    onTimeout.add(cleanup);
  }

  private void check() {
    if (partsPending == 0 && nodesPending <= 0 && received.size() >= expected) {
      result.complete(List.copyOf(received));
    }
  }

  private void expire(String event, Duration timeout) {
    List<Args> partial;
    List<Runnable> cleanups;
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      partial = List.copyOf(received);
      cleanups = List.copyOf(onTimeout);
    }
    cleanups.forEach(Runnable::run);
    result.completeExceptionally(new AckTimeoutException("only " + partial.size() + " of " + expected
        + " acknowledgements for \"" + event + "\" within " + timeout.toMillis() + " ms", partial));
  }
}
