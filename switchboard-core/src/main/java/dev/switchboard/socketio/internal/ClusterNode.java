package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.PayloadException;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.http.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.cluster.Stamp;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where other nodes' broadcasts and requests enter this server: always as {@code local()} work. */
final class ClusterNode implements LocalNode {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  private final ServerContext server;

  ClusterNode(ServerContext server) {
    this.server = server;
  }

  @Override
  public void deliver(ClusterBroadcast message) {
    RealNamespace nsp = server.existing(message.namespace());
    Object[] args = nsp == null ? null : arguments(message);
    if (args != null) {
      nsp.deliverFromCluster(message, args);
    }
  }

  @Override
  public void deliver(ClusterBroadcast message, Stamp stamp) {
    RealNamespace nsp = server.existing(message.namespace());
    Object[] args = nsp == null ? null : arguments(message);
    if (args != null) {
      nsp.deliverStamped(message, args, stamp);
    }
  }

  /** The broadcast's arguments, binary values back in place; null (logged) when unreadable. */
  static Object[] arguments(ClusterBroadcast message) {
    try {
      JsonNode parsed = Json.parse(message.argsJson());
      if (!(parsed instanceof ArrayNode array)) {
        throw new IOException("arguments are not an array");
      }
      Json.reviveBinary(array, message.attachments());
      Object[] args = new Object[array.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = array.get(i);
      }
      return args;
    } catch (IOException | PayloadException e) {
      log.warn("dropped a cluster broadcast of \"{}\" in {}: {}", message.event(), message.namespace(), e.getMessage());
      return null;
    }
  }

  @Override
  public void deliverWithAck(ClusterBroadcast message, Duration timeout, ClusterAcks acks) {
    RealNamespace nsp = server.existing(message.namespace());
    if (nsp == null) {
      acks.reached(0);
      return;
    }
    ArrayNode args;
    try {
      args = Json.decodeArray(message.argsJson(), message.attachments());
    } catch (IOException | PayloadException e) {
      log.warn("dropped a cluster broadcast of \"{}\" in {}: {}", message.event(), message.namespace(), e.getMessage());
      acks.reached(0);
      return;
    }
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = args.get(i);
    }
    AckRelay.deliver(nsp, message, values, timeout, acks);
  }

  @Override
  public void serverEvent(ClusterServerEvent event) {
    RealNamespace nsp = server.existing(event.namespace());
    if (nsp != null) {
      nsp.serverEvents().receive(event, null);
    }
  }

  @Override
  public void serverEventWithAck(ClusterServerEvent event, ClusterAcks acks) {
    RealNamespace nsp = server.existing(event.namespace());
    if (nsp == null) {
      acks.reached(0);
    } else {
      nsp.serverEvents().receive(event, acks);
    }
  }

  @Override
  public CompletableFuture<JsonNode> handle(ClusterRequest request) {
    ObjectNode reply = Json.MAPPER.createObjectNode();
    RealNamespace nsp = server.existing(request.namespace());
    if (nsp == null) {
      if (request.type() == ClusterRequest.Type.FETCH_SOCKETS) {
        reply.putArray("sockets");
      }
      reply.put("count", 0);
      return CompletableFuture.completedFuture(reply);
    }
    BroadcastTarget target = new BroadcastTarget(request.rooms(), request.except(), true, false);
    LocalAdapter<RealSocket> adapter = nsp.adapter();
    return switch (request.type()) {
      case FETCH_SOCKETS -> {
        ConcurrentLinkedQueue<JsonNode> found = new ConcurrentLinkedQueue<>();
        yield adapter.apply(target, socket -> found.add(SocketSnapshots.toJson(socket))).thenApply(count -> {
          reply.putArray("sockets").addAll(found);
          return reply.put("count", count);
        });
      }
      // Answered once this node listens to the rooms, so that a broadcast after the join reaches the sockets.
      case SOCKETS_JOIN -> adapter.apply(target, socket -> socket.join(request.targetRooms()))
          .thenCompose(count -> (count == 0 ? CompletableFuture.<Void>completedFuture(null) : nsp.roomsReady(request.targetRooms()))
              .thenApply(ready -> reply.put("count", count)));
      case SOCKETS_LEAVE -> adapter.apply(target, socket -> request.targetRooms().forEach(socket::leave))
          .thenApply(count -> reply.put("count", count));
      case DISCONNECT_SOCKETS -> adapter.apply(target, socket -> socket.disconnect(request.close()))
          .thenApply(count -> reply.put("count", count));
    };
  }
}
