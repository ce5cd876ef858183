package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.Keeping;
import dev.switchboard.cluster.SharedStreams;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.HistoryRules;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.internal.Json;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.Handshake;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster that shares history and recovery: a kept broadcast goes through the shared streams
 * and is delivered here when it comes back with its stamp, in the streams' order (as on every
 * node); if it cannot be kept, it is still delivered here, without a position. One that nothing
 * keeps is delivered here and published once, as over pub/sub.
 */
final class SharedStreamsDelivery extends ClusterDelivery {
  private static final Logger log = LoggerFactory.getLogger(SharedStreamsDelivery.class);

  private final SharedStreams streams;
  private final HistoryRules rules;
  private final RoomHistory history;

  SharedStreamsDelivery(ClusterAdapter cluster, SharedStreams streams, List<HistoryRule> rules) {
    super(cluster);
    this.streams = streams;
    this.rules = new HistoryRules(rules);
    this.history = streams.history(rules);
  }

  @Override
  public RoomHistory history() {
    return history;
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> broadcast(RealNamespace nsp, String event, Object[] args,
      BroadcastTarget target, boolean keep, boolean positioned) {
    Optional<HistoryRule> rule = keep && target.rooms().size() == 1
        ? rules.of(target.rooms().iterator().next()) : Optional.empty();
    RecoveryLog recovery = nsp.recovery();
    boolean recover = recovery != null && !target.volatileDelivery();
    if (target.local() || (rule.isEmpty() && !recover)) {
      deliverUnkept(nsp, event, args, target);
      if (!target.local()) {
        cluster.publish(nsp.clusterBroadcast(event, args, target, keep, false));
      }
      return NOT_KEPT;
    }
    Keeping keeping = new Keeping(rule, recover ? Optional.of(recovery.options().maxDisconnectionDuration())
        : Optional.empty(), false, recover ? recovery.options().maxBytes() : ConnectionStateRecovery.DEFAULT_MAX_BYTES);
    return streams.publish(nsp.clusterBroadcast(event, args, target, keep, positioned), keeping).handle((stamp, error) -> {
      if (error != null) {
        deliverUnkept(nsp, event, args, target);
        return Optional.empty();
      }
      return stamp.position();
    });
  }

  @Override
  public void fromCluster(RealNamespace nsp, ClusterBroadcast message, Object[] args) {
    deliverUnkept(nsp, message.event(), args, Delivery.here(message));
  }

  /**
   * Emits through the shared recovery stream, so that the packet can be recovered on any node;
   * sent directly when it cannot be kept.
   */
  @Override
  public void emitRecoverable(RealNamespace nsp, RealSocket socket, String event, Object[] args) {
    BroadcastTarget target = new BroadcastTarget(Set.of(socket.id()), Set.of(), false, false);
    Keeping keeping = new Keeping(Optional.empty(), Optional.of(nsp.recovery().options().maxDisconnectionDuration()), true,
        nsp.recovery().options().maxBytes());
    streams.publish(nsp.clusterBroadcast(event, args, target, false, false), keeping).whenComplete((stamp, error) -> {
      if (error != null) {
        socket.client().write(nsp.server().encoder().event(nsp.name(), event, args, -1));
      }
    });
  }

  /** Takes the socket back from the shared streams, so that a client may resume on any node. */
  @Override
  public void recover(ConnectPipeline pipeline, Client client, Handshake handshake, String pid, String offset) {
    new SharedRecovery(pipeline, streams, this).recover(client, handshake, pid, offset);
  }

  @Override
  public CompletableFuture<Void> persist(RealNamespace nsp, String sid, String pid, Set<String> rooms,
      Map<String, Object> data) {
    return streams.persist(nsp.name(), new DisconnectedSocket(sid, pid, rooms, json(sid, data)),
        nsp.recovery().options().maxDisconnectionDuration());
  }

  /**
   * Hands the socket to the shared streams, which keep its state: its rooms and data are read when
   * they write it (off the loop, the latest of both whichever thread changed them), so that a
   * change costs the loop no encoding.
   */
  @Override
  public void changed(RealNamespace nsp, RealSocket socket) {
    String sid = socket.id();
    String pid = socket.pid();
    streams.connected(nsp.name(), pid, () -> new DisconnectedSocket(sid, pid, socket.rooms(), json(sid, socket.dataIfAny())),
        nsp.recovery().options().maxDisconnectionDuration());
  }

  @Override
  public void gone(RealNamespace nsp, RealSocket socket) {
    streams.disconnected(nsp.name(), socket.pid());
  }

  /** The JSON-representable part of a socket's data, as an object. */
  private static ObjectNode json(String sid, Map<String, Object> data) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    data.forEach((key, value) -> {
      try {
        json.set(key, Json.MAPPER.valueToTree(value));
      } catch (IllegalArgumentException e) {
        log.debug("socket {}: data \"{}\" is not JSON and is not kept for recovery on other nodes", sid, key);
      }
    });
    return json;
  }

  @Override
  public CompletableFuture<Void> persistForShutdown(RealNamespace nsp, Collection<RealSocket> sockets) {
    CompletableFuture<?>[] kept = sockets.stream().filter(socket -> socket.pid() != null)
        .map(socket -> {
          socket.keptForShutdown();
          return persist(nsp, socket.id(), socket.pid(), socket.rooms(), socket.data());
        })
        .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(kept);
  }

  private static void deliverUnkept(RealNamespace nsp, String event, Object[] args, BroadcastTarget target) {
    nsp.deliverUnkept(event, args, target);
  }
}
