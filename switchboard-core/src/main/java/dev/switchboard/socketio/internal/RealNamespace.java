package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.http.internal.Json;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.rooms.RoomScope;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.rooms.internal.LocalRooms;
import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.OccupancyListener;
import dev.switchboard.socketio.PresenceListener;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A namespace: its middlewares, connection listeners, sockets and rooms. */
public final class RealNamespace extends NamespaceBroadcasts implements Namespace {
  private static final Logger log = LoggerFactory.getLogger(RealNamespace.class);

  private final String name;
  private final ServerContext server;
  private final ConnectPipeline connecting;
  private final ConcurrentHashMap<String, RealSocket> sockets = new ConcurrentHashMap<>();
  private final LocalAdapter<RealSocket> adapter;
  /** The namespace's tag on meters: its name, or its dynamic family's pattern. */
  private final String meterTag;
  private final AtomicLong ackIds = new AtomicLong();
  /** Null when connection state recovery is off. */
  private final RecoveryLog recovery;
  private final PresenceTracker presence;
  private final PresenceDiffs presenceDiffs;
  private final ServerEvents serverEvents;
  /** Longest wait for the cluster to confirm that a room's broadcasts reach this node. */
  static final java.time.Duration ROOM_READY_WAIT = java.time.Duration.ofSeconds(5);

  RealNamespace(String name, ServerContext server, RealParentNamespace parent) {
    this.name = name;
    this.server = server;
    this.adapter = new LocalAdapter<>(RealSocket.class, server.meters().deliveries());
    this.meterTag = parent == null ? name : parent.name();
    server.meters().namespace(meterTag, server);
    this.serverEvents = new ServerEvents(name, server);
    this.recovery = server.options().connectionStateRecovery()
        .map(options -> new RecoveryLog(options, java.time.Clock.systemUTC(), server.retained(), adapter))
        .orElse(null);
    this.connecting = new ConnectPipeline(this, parent);
    this.presenceDiffs = new PresenceDiffs(this, server.options().presenceDiffInterval());
    this.presence = new PresenceTracker(this, server.otherNodes().presence(name),
        server.options().presenceIdentity(), server.options().presence(), presenceDiffs);
    server.delivery().followRooms(this);
  }

  PresenceTracker presence() {
    return presence;
  }

  /** See {@link dev.switchboard.socketio.Socket#roomReady}. */
  java.util.concurrent.CompletableFuture<Void> roomReady(String room) {
    return CompletableFuture.allOf(server.delivery().listening(name, room), server.occupancy().decided(name, room),
            presence.decided(room))
        .completeOnTimeout(null, ROOM_READY_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(error -> null);
  }

  /** {@link #roomReady} of each of {@code rooms}: completes (never exceptionally) when all are ready or waited for. */
  java.util.concurrent.CompletableFuture<Void> roomsReady(java.util.Collection<String> rooms) {
    return java.util.concurrent.CompletableFuture.allOf(rooms.stream().map(this::roomReady)
        .toArray(java.util.concurrent.CompletableFuture[]::new));
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
  public Namespace onRoomOccupancy(OccupancyListener listener) {
    server.occupancy().listen(this, java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public Namespace onPresence(PresenceListener listener) {
    presence.listen(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public List<PresenceMember> presence(String room) {
    return presence.members(room);
  }

  @Override
  public CompletableFuture<List<PresenceMember>> presenceAsync(String room) {
    return presence.membersAsync(room);
  }

  @Override
  public CompletableFuture<Boolean> reservePresence(String room, String memberId, int maxMembers, Duration hold) {
    return presence.reserve(room, memberId, maxMembers, hold);
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

  /** See {@link #meterTag}. */
  String meterTag() {
    return meterTag;
  }

  public LocalAdapter<RealSocket> adapter() {
    return adapter;
  }

  /** Its rooms on this node with the server's history, for another transport to share. */
  public RoomScope rooms() {
    return new LocalRooms(adapter, server.history());
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

  /**
   * Broadcasts a message that room history does not keep (presence changes, call signals); the
   * recovery log still does.
   */
  void broadcastUnkept(String event, Object[] args, BroadcastTarget target) {
    broadcast(event, args, target, false, false);
  }

  /** Whether {@code history}, this node's, keeps a broadcast to {@code rooms}. */
  private static boolean keptInHistory(InMemoryRoomHistory history, boolean keep, Set<String> rooms) {
    return keep && rooms.size() == 1 && history.keeps(rooms.iterator().next());
  }

  private CompletableFuture<Optional<StreamPosition>> broadcast(String event, Object[] args, BroadcastTarget target,
      boolean keep, boolean positioned) {
    server.meters().sent();
    return server.delivery().broadcast(this, event, args, target, keep, positioned);
  }

  /**
   * Fans a broadcast out to this node's members: kept first in {@code history}, this node's (when
   * it keeps the room), and recovery log (when the namespace recovers and the broadcast is not
   * volatile). Returns its position in the room's history, when kept there.
   */
  Optional<StreamPosition> deliverHere(InMemoryRoomHistory history, String event, Object[] args,
      BroadcastTarget target, boolean keep, boolean positioned) {
    return deliverHere(history, event, args, Optional.empty(), target, keep, positioned);
  }

  /**
   * {@link #deliverHere(InMemoryRoomHistory, String, Object[], BroadcastTarget, boolean, boolean)}
   * with the arguments' JSON already made ({@link Json#encodeArray(String, Object[])}, no first
   * element): the history copy and the frame reuse it instead of encoding the arguments again.
   */
  Optional<StreamPosition> deliverHere(InMemoryRoomHistory history, String event, Object[] args,
      Optional<Json.Encoded> argsJson, BroadcastTarget target, boolean keep, boolean positioned) {
    presenceDiffs.heard(event, args);
    boolean inHistory = keptInHistory(history, keep, target.rooms());
    boolean logged = recovery != null && !target.volatileDelivery();
    if (!inHistory && !logged) {
      OutboundBroadcast prepared = prepare(history, event, args, argsJson, target.rooms(), null, false, positioned);
      adapter.broadcast(prepared, target);
      server.retained().enforce();
      // A plain value, still readable once the adapter has released the message.
      return Optional.ofNullable(prepared.position());
    }
    // The arguments' JSON is made before the order is taken, which holds only what must be in it.
    Optional<Json.Encoded> json = argsJson.isEmpty() && (inHistory || server.encoder().reusesArgsJson())
        ? Optional.of(Json.encodeArray(null, args)) : argsJson;
    OutboundBroadcast prepared = sendInOrder(target, logged,
        offset -> prepare(history, event, args, json, target.rooms(), offset, inHistory, positioned));
    // A plain value, still readable once the adapter has released the message.
    return Optional.ofNullable(prepared.position());
  }

  /**
   * Emits to {@code socket} alone through this node's recovery log, kept like a broadcast to the
   * socket's own room and delivered like one: in offset order with the broadcasts its loop
   * delivers, and held while the socket catches up after a recovery.
   */
  void emitLogged(RealSocket socket, String event, Object[] args) {
    sendInOrder(new BroadcastTarget(Set.of(socket.id()), Set.of(), true, false), true,
        offset -> BroadcastEncoder.encode(server.encoder(), name, event, RecoveryLog.withOffset(args, offset.text()),
            args, -1, false, null, null).loggedAs(offset.seq()));
  }

  /**
   * Sends a message that takes a place of its own (a history position, with {@code logged} a
   * recovery offset too), so that every member receives such messages in the order of their
   * places: holding the order of the loops {@code target} concerns, {@code prepare} makes the
   * message (given its offset, null when not logged), the log keeps it, and it is queued; the
   * deliveries (socket writes, wake-ups of other loops) start once the order is released.
   * Returns the message, which the adapter may have released already.
   */
  private OutboundBroadcast sendInOrder(BroadcastTarget target, boolean logged,
      Function<RecoveryLog.Offset, OutboundBroadcast> prepare) {
    OutboundBroadcast message;
    LocalAdapter.Queued queued;
    try (LocalAdapter.Order order = adapter.order(target)) {
      RecoveryLog.Offset offset = logged ? recovery.next() : null;
      message = prepare.apply(offset);
      if (logged) {
        recovery.keep(offset, message.socketIoPacket(), message.attachments(), target.rooms(), target.except());
      }
      queued = order.queue(message);
    }
    queued.start();
    server.retained().enforce();
    return message;
  }

  /** The broadcast as the cluster carries it to the other nodes. */
  ClusterBroadcast clusterBroadcast(String event, Object[] args, BroadcastTarget target, boolean keep,
      boolean positioned) {
    return clusterBroadcast(event, Json.encodeArray(null, args), target, keep, positioned);
  }

  /** The broadcast as the cluster carries it, from its arguments' JSON. */
  ClusterBroadcast clusterBroadcast(String event, Json.Encoded encoded, BroadcastTarget target, boolean keep,
      boolean positioned) {
    return new ClusterBroadcast(name, event, encoded.json(), encoded.attachments(),
        target.rooms().stream().sorted().toList(), target.except(), target.volatileDelivery(), keep, positioned);
  }

  /** Delivers another node's broadcast to this node's members only. */
  void deliverFromCluster(ClusterBroadcast message, Object[] args) {
    server.delivery().fromCluster(this, message, args);
  }

  /** Delivers a broadcast kept in the shared streams (this node's own too) to this node's members. */
  void deliverStamped(ClusterBroadcast message, Object[] args, Stamp stamp) {
    presenceDiffs.heard(message.event(), args);
    BroadcastTarget target = new BroadcastTarget(Set.copyOf(message.rooms()), message.except(), true,
        message.volatileDelivery());
    Object[] positioned = message.positioned() && stamp.position().isPresent()
        ? MetaPosition.added(args, stamp.position().get()) : args;
    Object[] wireArgs = stamp.offset().map(offset -> RecoveryLog.withOffset(positioned, offset)).orElse(positioned);
    adapter.broadcast(BroadcastEncoder.encode(server.encoder(), name, message.event(), wireArgs, args, -1, adapter.hasStreamMembers(),
        stamp.room().orElse(null), stamp.position().orElse(null)).keptAs(message, stamp), target);
  }

  /** Delivers a broadcast that no history or recovery log keeps to this node's members. */
  void deliverUnkept(String event, Object[] args, BroadcastTarget target) {
    presenceDiffs.heard(event, args);
    adapter.broadcast(encodeUnkept(event, args), target);
  }

  /** Encodes a broadcast that no history or recovery log keeps. */
  OutboundBroadcast encodeUnkept(String event, Object[] args) {
    return BroadcastEncoder.encode(server.encoder(), name, event, args, args, -1, adapter.hasStreamMembers(), null, null);
  }

  /**
   * Encodes a broadcast; {@code offset}'s text, when not null, is appended as a last argument for the
   * Socket.IO client (connection state recovery). With {@code inHistory} (see {@link #keptInHistory})
   * the message is appended to its one room's history in {@code history}, this node's, first, so it
   * carries its position to every transport (with {@code positioned}, in its last argument too).
   */
  private OutboundBroadcast prepare(InMemoryRoomHistory history, String event, Object[] args,
      Optional<Json.Encoded> argsJson, Set<String> rooms, RecoveryLog.Offset offset, boolean inHistory,
      boolean positioned) {
    String room = null;
    StreamPosition position = null;
    Json.Encoded stored = argsJson.orElse(null);
    if (inHistory) {
      String only = rooms.iterator().next();
      if (stored == null) {
        stored = Json.encodeArray(null, args);
      }
      position = history.append(only, event, stored.json(), stored.attachments()).map(e -> e.position()).orElse(null);
      room = position == null ? null : only;
    }
    OutboundBroadcast encoded;
    if (stored != null && !(positioned && position != null)) {
      // The frame's arguments are those of the history copy or the cluster message: encoded once.
      encoded = BroadcastEncoder.encodeKept(server.encoder(), name, event, args, stored, Optional.ofNullable(offset).map(RecoveryLog.Offset::text),
          adapter.hasStreamMembers(), room, position);
    } else {
      Object[] sent = positioned && position != null ? MetaPosition.added(args, position) : args;
      Object[] wireArgs = offset == null ? sent : RecoveryLog.withOffset(sent, offset.text());
      encoded = BroadcastEncoder.encode(server.encoder(), name, event, wireArgs, args, -1, adapter.hasStreamMembers(),
          room, position);
    }
    return offset == null ? encoded : encoded.loggedAs(offset.seq());
  }

  /**
   * Keeps every connected socket in the shared streams, as a shutdown is about to close them all;
   * completes when they are kept (at once without shared streams or recovery).
   */
  public CompletableFuture<Void> persistForShutdown() {
    if (recovery == null) {
      return CompletableFuture.completedFuture(null);
    }
    return server.delivery().persistForShutdown(this, sockets.values());
  }

  /** Keeps a socket that lost its connection for recovery; completes once it is kept. */
  CompletableFuture<Void> persist(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
    return server.delivery().persist(this, sid, pid, rooms, data);
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
  RealBroadcastOperator all() {
    return new RealBroadcastOperator(this, java.util.Set.of(), java.util.Set.of(), false, false, null);
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
