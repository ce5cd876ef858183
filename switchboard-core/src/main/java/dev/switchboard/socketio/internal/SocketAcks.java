package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.AckEmitter;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.SocketIoException;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgements one socket waits for: its emits with an ack (each with its timeout) and the
 * broadcasts with acks it is part of; and how many of the client's events still wait for the
 * application's answer. Loop-confined to the socket's event loop; the futures of its emits complete
 * on the loop, or on the handler executor when there is one.
 */
final class SocketAcks {
  private static final Logger log = LoggerFactory.getLogger(SocketAcks.class);

  private final RealSocket socket;
  /** Pending acknowledgements by ack id, created with the first one. */
  private LongObjectHashMap<Consumer<Args>> pending;
  /** Events the client sent with an ack that the application has not answered yet. */
  private int owed;

  SocketAcks(RealSocket socket) {
    this.socket = socket;
  }

  /**
   * Emits to {@code socket} that wait at most {@code timeout} for the client's acknowledgement;
   * called from any thread, the ack is registered on the socket's loop.
   */
  static AckEmitter emitter(RealSocket socket, Duration timeout) {
    return (event, args) -> {
      SioEncoder.checkEventName(event);
      RealNamespace nsp = socket.realNamespace();
      long ackId = nsp.nextAckId();
      SioEncoder.Encoded packet = nsp.server().encoder().event(nsp.name(), event, args, ackId);
      CompletableFuture<Args> result = new CompletableFuture<>();
      socket.onLoop(() -> {
        if (!socket.connected()) {
          packet.packet().release();
          SocketIoException gone = new SocketIoException("DISCONNECTED", "socket " + socket.id() + " is not connected");
          failLater(socket, result, gone);
          return;
        }
        socket.acks().waitFor(ackId, event, timeout, result);
        nsp.server().meters().sent();
        socket.client().write(packet);
      });
      return result;
    };
  }

  private void waitFor(long ackId, String event, Duration timeout, CompletableFuture<Args> result) {
    ScheduledFuture<?> timer = socket.executor().schedule(() -> {
      if (pending != null && pending.remove(ackId) != null) {
        AckTimeoutException late = new AckTimeoutException(
            "no acknowledgement for \"" + event + "\" within " + timeout.toMillis() + " ms", List.of());
        failLater(socket, result, late);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    pending().put(ackId, new FailableAck() {
      @Override
      public void accept(Args answer) {
        timer.cancel(false);
        completeLater(socket, result, answer);
      }

      @Override
      public void fail(SocketIoException error) {
        timer.cancel(false);
        failLater(socket, result, error);
      }
    });
  }

  /*
   * With a handler executor, what waits for an ack runs there, off the loop; but not on the
   * socket's lane: a handler blocking on emitWithAck(...).join() holds that lane, and would wait
   * for an answer queued behind itself.
   */
  private static void completeLater(RealSocket socket, CompletableFuture<Args> result, Args answer) {
    Executor handlers = socket.handlerExecutor();
    if (handlers == null) {
      result.complete(answer);
    } else {
      handlers.execute(() -> result.complete(answer));
    }
  }

  private static void failLater(RealSocket socket, CompletableFuture<Args> result, Throwable error) {
    Executor handlers = socket.handlerExecutor();
    if (handlers == null) {
      result.completeExceptionally(error);
    } else {
      handlers.execute(() -> result.completeExceptionally(error));
    }
  }

  /** Registers an acknowledgement callback for a broadcast with acks. */
  void expect(long ackId, Consumer<Args> callback) {
    pending().put(ackId, callback);
  }

  void forget(long ackId) {
    if (pending != null) {
      pending.remove(ackId);
    }
  }

  /** How many acknowledgements are awaited. */
  int waiting() {
    return pending == null ? 0 : pending.size();
  }

  /** The client sent an event with an ack: the application owes an answer. */
  void owe() {
    owed++;
  }

  /** The application answered an event of the client. */
  void paid() {
    owed--;
  }

  /**
   * Acknowledgements in flight: answers the application owes the client, and answers awaited from
   * it. A drain lets them arrive before it closes the connection.
   */
  int inFlight() {
    return owed + (pending == null ? 0 : pending.size());
  }

  /** Hands the client's acknowledgement to whoever waits for it. */
  void answered(SioPacket.Ack packet) {
    Consumer<Args> callback = pending == null ? null : pending.remove(packet.ackId());
    if (callback == null) {
      log.debug("socket {}: unexpected ack {}", socket.id(), packet.ackId());
      return;
    }
    callback.accept(new Args(packet.args(), 0));
  }

  /** Fails every emit still waiting, as the socket went away for {@code reason}. */
  void failAll(DisconnectReason reason) {
    if (pending != null && !pending.isEmpty()) {
      SocketIoException gone = new SocketIoException("DISCONNECTED", "socket " + socket.id() + " disconnected: " + reason);
      for (Consumer<Args> callback : List.copyOf(pending.values())) {
        if (callback instanceof FailableAck failable) {
          failable.fail(gone);
        }
      }
      pending.clear();
    }
  }

  private LongObjectHashMap<Consumer<Args>> pending() {
    if (pending == null) {
      pending = new LongObjectHashMap<>(4);
    }
    return pending;
  }

  /** An ack callback that can also be told the socket went away. */
  interface FailableAck extends Consumer<Args> {
    void fail(SocketIoException error);
  }
}
