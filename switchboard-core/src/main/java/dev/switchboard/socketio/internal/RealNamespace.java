package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.Keeping;
import dev.switchboard.cluster.Stamp;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.internal.InMemoryPresenceStore;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.ServerEventListener;
import dev.switchboard.socketio.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A namespace: its middlewares, connection listeners, sockets and rooms. */
public final class RealNamespace extends NamespaceBroadcasts implements Namespace {
  private static final Logger log = LoggerFactory.getLogger(RealNamespace.class);

  private final String name;
  private final ServerContext server;
  private final ConnectPipeline connecting;
  private final ConcurrentHashMap<String, RealSocket> sockets = new ConcurrentHashMap<>();
  private final LocalAdapter adapter = new LocalAdapter();
  private final AtomicLong ackIds = new AtomicLong();
  /** Null when connection state recovery is off. */
  private final RecoveryLog recovery;
  private final PresenceTracker presence;
  private final ServerEvents serverEvents;
  /** Held while a message kept in history without recovery gets its position and is handed to the loops. */
  private final Object historyOrder = new Object();

  /** Longest wait for the cluster to confirm that a room's broadcasts reach this node. */
  static final java.time.Duration ROOM_READY_WAIT = java.time.Duration.ofSeconds(5);

  RealNamespace(String name, ServerContext server, RealParentNamespace parent) {
    this.name = name;
    this.server = server;
    this.serverEvents = new ServerEvents(name, server);
    this.recovery = server.options().connectionStateRecovery()
        .map(options -> new RecoveryLog(options, java.time.Clock.systemUTC(), server.retained()))
        .orElse(null);
    this.connecting = new ConnectPipeline(this, parent);
    this.presence = new PresenceTracker(this,
        server.cluster() == null ? new InMemoryPresenceStore() : server.cluster().presence(name),
        server.options().presenceIdentity(), server.options().presence());
    ClusterAdapter cluster = server.clusterAdapter();
    if (cluster != null) {
      adapter.onRoomActivity(new LocalAdapter.RoomActivity() {
        @Override
        public void active(String room) {
          cluster.roomActive(name, room);
        }

        @Override
        public void inactive(String room) {
          cluster.roomInactive(name, room);
        }
      });
    }
  }

  PresenceTracker presence() {
    return presence;
  }

  /** See {@link dev.switchboard.socketio.Socket#roomReady}. */
  java.util.concurrent.CompletableFuture<Void> roomReady(String room) {
    ClusterAdapter cluster = server.clusterAdapter();
    if (cluster == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    return cluster.listening(name, room)
        .completeOnTimeout(null, ROOM_READY_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(error -> null);
  }

  ServerEvents serverEvents() {
    return serverEvents;
  }

  @Override
  public Namespace onServerEvent(String event, ServerEventListener listener) {
    serverEvents.on(event, listener);
    return this;
  }

  @Override
  public void serverSideEmit(String event, Object... args) {
    serverEvents.emit(event, args);
  }

  @Override
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
    return serverEvents.emitWithAck(timeout, event, args);
  }

  @Override
  public List<PresenceMember> presence(String room) {
    return presence.members(room);
  }

  @Override
  public CompletableFuture<List<PresenceMember>> presenceAsync(String room) {
    return presence.membersAsync(room);
  }

  RecoveryLog recovery() {
    return recovery;
  }

  @Override
  public String name() {
    return name;
  }

  ServerContext server() {
    return server;
  }

  public LocalAdapter adapter() {
    return adapter;
  }

  /** Broadcasts {@code event(args)} to the target; with recovery on, kept and given an offset first. */
  void broadcast(String event, Object[] args, BroadcastTarget target) {
    broadcast(event, args, target, true, false);
  }

  /**
   * Broadcasts {@code event(args)} and completes with its position in its room's history, empty
   * when not kept there; a kept one's last argument, when a JSON object, carries the position.
   */
  CompletableFuture<Optional<StreamPosition>> broadcastWithPosition(String event, Object[] args, BroadcastTarget target) {
    return broadcast(event, args, target, true, true);
  }

  /** Broadcasts a notice that room history does not keep (presence changes). */
  void broadcastUnkept(String event, Object[] args, BroadcastTarget target) {
    broadcast(event, args, target, false, false);
  }

  /** Whether this node's history keeps a broadcast to {@code rooms}. */
  private boolean keptInHistory(boolean keep, Set<String> rooms) {
    InMemoryRoomHistory history = server.localHistory();
    return keep && history != null && rooms.size() == 1 && history.keeps(rooms.iterator().next());
  }

  private static final CompletableFuture<Optional<StreamPosition>> NOT_KEPT =
      CompletableFuture.completedFuture(Optional.empty());

  private CompletableFuture<Optional<StreamPosition>> broadcast(String event, Object[] args, BroadcastTarget target,
      boolean keep, boolean positioned) {
    if (server.streams() != null) {
      return broadcastShared(event, args, target, keep, positioned);
    }
    OutboundBroadcast prepared;
    if (recovery == null || target.volatileDelivery()) {
      if (keptInHistory(keep, target.rooms())) {
        // Positions are handed to the loops in their order, so every member receives them in it.
        synchronized (historyOrder) {
          prepared = prepare(event, args, target.rooms(), null, keep, positioned);
          adapter.broadcast(prepared, target);
        }
      } else {
        prepared = prepare(event, args, target.rooms(), null, keep, positioned);
        adapter.broadcast(prepared, target);
      }
    } else {
      OutboundBroadcast[] sent = new OutboundBroadcast[1];
      recovery.send(target.rooms(), target.except(),
          offset -> sent[0] = prepare(event, args, target.rooms(), offset, keep, positioned),
          OutboundBroadcast::socketIo, message -> adapter.broadcast(message, target));
      prepared = sent[0];
    }
    server.retained().enforce();
    // A plain value, still readable once the adapter has released the message.
    Optional<StreamPosition> position = Optional.ofNullable(prepared.position());
    ClusterAdapter cluster = server.clusterAdapter();
    if (cluster != null && !target.local()) {
      cluster.publish(clusterBroadcast(event, args, target, keep, positioned));
    }
    return position.isEmpty() ? NOT_KEPT : CompletableFuture.completedFuture(position);
  }

  /**
   * A broadcast when the cluster shares history and recovery: a kept one goes through the shared
   * streams and is delivered here when it comes back with its stamp, in the streams' order; if it
   * cannot be kept, it is still delivered here, without a position.
   */
  private CompletableFuture<Optional<StreamPosition>> broadcastShared(String event, Object[] args, BroadcastTarget target,
      boolean keep, boolean positioned) {
    Optional<HistoryRule> rule = keep && target.rooms().size() == 1
        ? server.historyRules().of(target.rooms().iterator().next()) : Optional.empty();
    boolean recover = recovery != null && !target.volatileDelivery();
    if (target.local() || (rule.isEmpty() && !recover)) {
      adapter.broadcast(prepare(event, args, target.rooms(), null, false, false), target);
      if (!target.local()) {
        server.clusterAdapter().publish(clusterBroadcast(event, args, target, keep, false));
      }
      return NOT_KEPT;
    }
    Keeping keeping = new Keeping(rule, recover ? Optional.of(recovery.options().maxDisconnectionDuration())
        : Optional.empty(), false, recover ? recovery.options().maxBytes() : ConnectionStateRecovery.DEFAULT_MAX_BYTES);
    return server.streams().publish(clusterBroadcast(event, args, target, keep, positioned), keeping).handle((stamp, error) -> {
      if (error != null) {
        adapter.broadcast(prepare(event, args, target.rooms(), null, false, false), target);
        return Optional.empty();
      }
      return stamp.position();
    });
  }

  private ClusterBroadcast clusterBroadcast(String event, Object[] args, BroadcastTarget target, boolean keep,
      boolean positioned) {
    Json.Encoded encoded = Json.encodeArray(null, args);
    return new ClusterBroadcast(name, event, encoded.json(), encoded.attachments(),
        target.rooms().stream().sorted().toList(), target.except(), target.volatileDelivery(), keep, positioned);
  }

  /**
   * Emits to one socket of this node through the shared recovery stream, so that the packet can be
   * recovered on any node; sent directly when it cannot be kept.
   */
  void emitShared(RealSocket socket, String event, Object[] args) {
    BroadcastTarget target = new BroadcastTarget(Set.of(socket.id()), Set.of(), false, false);
    Keeping keeping = new Keeping(Optional.empty(), Optional.of(recovery.options().maxDisconnectionDuration()), true,
        recovery.options().maxBytes());
    server.streams().publish(clusterBroadcast(event, args, target, false, false), keeping).whenComplete((stamp, error) -> {
      if (error != null) {
        socket.client().write(SioEncoder.event(name, event, args, -1));
      }
    });
  }

  /** Delivers another node's broadcast to this node's members only. */
  void deliverFromCluster(ClusterBroadcast message, Object[] args) {
    BroadcastTarget target = new BroadcastTarget(Set.copyOf(message.rooms()), message.except(), true,
        message.volatileDelivery());
    broadcast(message.event(), args, target, message.keep() && server.streams() == null, message.positioned());
  }

  /** Delivers a broadcast kept in the shared streams (this node's own too) to this node's members. */
  void deliverStamped(ClusterBroadcast message, Object[] args, Stamp stamp) {
    BroadcastTarget target = new BroadcastTarget(Set.copyOf(message.rooms()), message.except(), true,
        message.volatileDelivery());
    Object[] positioned = message.positioned() && stamp.position().isPresent()
        ? MetaPosition.added(args, stamp.position().get()) : args;
    Object[] wireArgs = stamp.offset().map(offset -> RecoveryLog.withOffset(positioned, offset)).orElse(positioned);
    adapter.broadcast(OutboundBroadcast.encode(name, message.event(), wireArgs, args, -1, adapter.hasStreamMembers(),
        stamp.room().orElse(null), stamp.position().orElse(null)).keptAs(message, stamp), target);
  }

  /**
   * Encodes a broadcast; {@code offset}, when not null, is appended as a last argument for the
   * Socket.IO client (connection state recovery). A message to exactly one room that keeps
   * history is appended to this node's history first, so it carries its position to every transport
   * (with {@code positioned}, in its last argument too).
   */
  OutboundBroadcast prepare(String event, Object[] args, Set<String> rooms, String offset, boolean keep, boolean positioned) {
    String room = null;
    StreamPosition position = null;
    InMemoryRoomHistory history = server.localHistory();
    if (keep && history != null && rooms.size() == 1) {
      String only = rooms.iterator().next();
      if (history.keeps(only)) {
        Json.Encoded stored = Json.encodeArray(null, args);
        position = history.append(only, event, stored.json(), stored.attachments()).map(e -> e.position()).orElse(null);
        room = position == null ? null : only;
      }
    }
    Object[] sent = positioned && position != null ? MetaPosition.added(args, position) : args;
    Object[] wireArgs = offset == null ? sent : RecoveryLog.withOffset(sent, offset);
    OutboundBroadcast encoded = OutboundBroadcast.encode(name, event, wireArgs, args, -1, adapter.hasStreamMembers(),
        room, position);
    return offset == null ? encoded : encoded.loggedAs(recovery.seqOf(offset));
  }

  /**
   * Keeps every connected socket in the shared streams, as a shutdown is about to close them all;
   * completes when they are kept (at once without shared streams or recovery).
   */
  public CompletableFuture<Void> persistForShutdown() {
    if (server.streams() == null || recovery == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] kept = sockets.values().stream().filter(socket -> socket.pid() != null)
        .map(socket -> {
          socket.keptForShutdown();
          return persist(socket.id(), socket.pid(), socket.rooms(), socket.data());
        })
        .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(kept);
  }

  /** Keeps a socket that lost its connection for recovery; completes once it is kept. */
  CompletableFuture<Void> persist(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
    if (server.streams() == null) {
      recovery.persist(sid, pid, rooms, data);
      return CompletableFuture.completedFuture(null);
    }
    ObjectNode json = Json.MAPPER.createObjectNode();
    data.forEach((key, value) -> {
      try {
        json.set(key, Json.MAPPER.valueToTree(value));
      } catch (IllegalArgumentException e) {
        log.debug("socket {}: data \"{}\" is not JSON and is not kept for recovery on other nodes", sid, key);
      }
    });
    return server.streams().persist(name, new DisconnectedSocket(sid, pid, rooms, json),
        recovery.options().maxDisconnectionDuration());
  }

  /** Ack ids are unique per namespace, so one broadcast can use the same id for every socket. */
  long nextAckId() {
    return ackIds.getAndIncrement();
  }

  @Override
  public Namespace onConnection(Consumer<Socket> listener) {
    connecting.onConnection(listener);
    return this;
  }

  @Override
  public Namespace use(Middleware middleware) {
    connecting.use(middleware);
    return this;
  }

  @Override
  public Map<String, Socket> sockets() {
    return Collections.unmodifiableMap(sockets);
  }

  void removeSocket(RealSocket socket) {
    sockets.remove(socket.id(), socket);
  }

  /** Runs the middlewares for a new socket of {@code client}, then connects it or refuses it. */
  void connect(Client client, JsonNode auth) {
    connecting.connect(client, auth);
  }

  /** Adds a socket that has just connected. */
  void addSocket(RealSocket socket) {
    sockets.put(socket.id(), socket);
  }

  // ---- broadcasting: the whole namespace

  @Override
  protected RealBroadcastOperator all() {
    return new RealBroadcastOperator(this, java.util.Set.of(), java.util.Set.of(), false, false, null);
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
