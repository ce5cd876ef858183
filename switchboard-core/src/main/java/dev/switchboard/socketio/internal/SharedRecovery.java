package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.cluster.SharedStreams;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.socketio.Handshake;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection state recovery from the shared streams, with no gap between what they hold and what
 * arrives live: the socket taken back first joins its rooms here, holding what they deliver; what
 * it missed is read once every room's broadcasts reach this node; after the middlewares (across
 * nodes only the JSON part of its data comes back, so they run to restore the rest) it gets what
 * it missed, then what was held, without what both carry. When recovery fails, the client gets a
 * fresh socket.
 */
final class SharedRecovery {
  private static final Logger log = LoggerFactory.getLogger(SharedRecovery.class);

  private final ConnectPipeline pipeline;
  private final SharedStreams streams;
  private final Delivery delivery;
  private final RealNamespace nsp;
  private final String name;
  private final RecoveryLog recovery;

  SharedRecovery(ConnectPipeline pipeline, SharedStreams streams, Delivery delivery) {
    this.pipeline = pipeline;
    this.streams = streams;
    this.delivery = delivery;
    this.nsp = pipeline.namespace();
    this.name = nsp.name();
    this.recovery = nsp.recovery();
  }

  /** Takes back the socket {@code pid} of {@code client}, resuming after {@code offset}; on the client's loop. */
  void recover(Client client, Handshake handshake, String pid, String offset) {
    AtomicReference<RealSocket> taken = new AtomicReference<>();
    streams.restore(name, pid, offset, recovery.options().maxBytes(), state -> {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      onLoop(client, () -> {
        if (!client.session().isOpen()) {
          // Kept again, so that the client can still resume from the same offset.
          streams.persist(name, state, recovery.options().maxDisconnectionDuration());
          listening.completeExceptionally(new IllegalStateException("the connection closed"));
          return;
        }
        RealSocket socket = new RealSocket(state.sid(), nsp, client, handshake,
            new RecoveryLog.Restored(session(state), List.of()));
        taken.set(socket);
        client.addSocket(socket);
        socket.recovery().hold();
        roomsListening(state.rooms()).whenComplete((ready, error) -> {
          if (error == null) {
            listening.complete(null);
          } else {
            listening.completeExceptionally(error);
          }
        });
      });
      return listening;
    }).whenComplete((found, error) -> onLoop(client, () -> {
      if (error != null) {
        log.debug("recovery of a socket of {} failed: {}", name, error.toString());
      }
      RealSocket socket = taken.get();
      if (socket != null && socket.holding() && found != null && found.isPresent()
          && socket.recovery().caughtUp(missed(found.get()), message -> message.replayedBy(found.get().replayed()))) {
        pipeline.runMiddlewares(socket, client);
        return;
      }
      if (socket != null && socket.holding()) {
        socket.recovery().abandon();
        client.removeSocket(socket);
      }
      if (client.session().isOpen()) {
        pipeline.connectUnrecovered(client, handshake);
      }
    }));
  }

  /** Completes once broadcasts to each of {@code rooms} reach this node; fails after {@link RealNamespace#ROOM_READY_WAIT}. */
  private CompletableFuture<Void> roomsListening(Set<String> rooms) {
    CompletableFuture<?>[] each = rooms.stream().map(room -> delivery.listening(name, room))
        .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(each).orTimeout(RealNamespace.ROOM_READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The session of a socket taken back from the shared streams. */
  private static RecoveryLog.Session session(DisconnectedSocket state) {
    Map<String, Object> data = new LinkedHashMap<>();
    state.data().fields().forEachRemaining(field -> data.put(field.getKey(), field.getValue()));
    return new RecoveryLog.Session(state.sid(), state.pid(), state.rooms(), data, 0);
  }

  /** What a socket taken back from the shared streams missed, encoded with the offsets. */
  private List<RecoveryLog.Logged> missed(RecoveredSocket found) {
    List<RecoveryLog.Logged> missed = new ArrayList<>(found.missed().size());
    for (RecoveredSocket.Missed packet : found.missed()) {
      Object[] args = ClusterNode.arguments(packet.broadcast());
      if (args == null) {
        continue;
      }
      if (packet.broadcast().positioned() && packet.position().isPresent()) {
        args = MetaPosition.added(args, packet.position().get());
      }
      SioEncoder.Encoded encoded = nsp.server().encoder().event(name, packet.broadcast().event(),
          RecoveryLog.withOffset(args, packet.offset()), -1);
      byte[] text = new byte[encoded.packet().readableBytes()];
      encoded.packet().readBytes(text);
      encoded.packet().release();
      missed.add(new RecoveryLog.Logged(0, text, encoded.attachments(), Set.copyOf(packet.broadcast().rooms()),
          packet.broadcast().except(), 0));
    }
    return missed;
  }

  private static void onLoop(Client client, Runnable task) {
    EventLoops.runOn(client.session().executor(), task);
  }
}
