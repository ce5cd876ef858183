package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.http.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.internal.InMemoryPresenceStore;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.ServerEventListener;
import dev.switchboard.socketio.Socket;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A namespace: its middlewares, connection listeners, sockets and rooms. */
public final class RealNamespace implements Namespace {
  private static final Logger log = LoggerFactory.getLogger(RealNamespace.class);

  private final String name;
  private final ServerContext server;
  private final RealParentNamespace parent;
  private final CopyOnWriteArrayList<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, RealSocket> sockets = new ConcurrentHashMap<>();
  private final LocalAdapter<RealSocket> adapter = new LocalAdapter<>(RealSocket.class);
  private final AtomicLong ackIds = new AtomicLong();
  /** Null when connection state recovery is off. */
  private final RecoveryLog recovery;
  private final PresenceTracker presence;
  private final ServerEvents serverEvents;
  /** Held while a message kept in history without recovery gets its position and is handed to the loops. */
  private final Object historyOrder = new Object();

  /** Longest wait for the cluster to confirm that a room's broadcasts reach this node. */
  private static final java.time.Duration ROOM_READY_WAIT = java.time.Duration.ofSeconds(5);

  RealNamespace(String name, ServerContext server, RealParentNamespace parent) {
    this.name = name;
    this.server = server;
    this.parent = parent;
    this.serverEvents = new ServerEvents(name, server);
    this.recovery = server.options().connectionStateRecovery()
        .map(options -> new RecoveryLog(options, java.time.Clock.systemUTC(), server.retained()))
        .orElse(null);
    this.presence = new PresenceTracker(this,
        server.cluster() == null ? new InMemoryPresenceStore() : server.cluster().presence(name),
        server.options().presenceIdentity(), server.options().presence());
    server.delivery().followRooms(this);
  }

  PresenceTracker presence() {
    return presence;
  }

  /** See {@link dev.switchboard.socketio.Socket#roomReady}. */
  java.util.concurrent.CompletableFuture<Void> roomReady(String room) {
    return server.delivery().listening(name, room)
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
  public CompletableFuture<List<PresenceMember>> fetchPresence(String room) {
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

  public LocalAdapter<RealSocket> adapter() {
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

  private CompletableFuture<Optional<StreamPosition>> broadcast(String event, Object[] args, BroadcastTarget target,
      boolean keep, boolean positioned) {
    return server.delivery().broadcast(this, event, args, target, keep, positioned);
  }

  /**
   * Fans a broadcast out to this node's members: kept first in this node's history (when it keeps
   * the room) and recovery log (when the namespace recovers and the broadcast is not volatile).
   * Returns its position in the room's history, when kept there.
   */
  Optional<StreamPosition> deliverHere(String event, Object[] args, BroadcastTarget target, boolean keep,
      boolean positioned) {
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
          message -> new SioEncoder.Encoded(message.socketIoText(), message.attachments()),
          message -> adapter.broadcast(message, target));
      prepared = sent[0];
    }
    server.retained().enforce();
    // A plain value, still readable once the adapter has released the message.
    return Optional.ofNullable(prepared.position());
  }

  /** The broadcast as the cluster carries it to the other nodes. */
  ClusterBroadcast clusterBroadcast(String event, Object[] args, BroadcastTarget target, boolean keep,
      boolean positioned) {
    Json.Encoded encoded = Json.encodeArray(null, args);
    return new ClusterBroadcast(name, event, encoded.json(), encoded.attachments(),
        target.rooms().stream().sorted().toList(), target.except(), target.volatileDelivery(), keep, positioned);
  }

  /** Delivers another node's broadcast to this node's members only. */
  void deliverFromCluster(ClusterBroadcast message, Object[] args) {
    server.delivery().fromCluster(this, message, args);
  }

  /** Delivers a broadcast kept in the shared streams (this node's own too) to this node's members. */
  void deliverStamped(ClusterBroadcast message, Object[] args, Stamp stamp) {
    BroadcastTarget target = new BroadcastTarget(Set.copyOf(message.rooms()), message.except(), true,
        message.volatileDelivery());
    Object[] positioned = message.positioned() && stamp.position().isPresent()
        ? MetaPosition.added(args, stamp.position().get()) : args;
    Object[] wireArgs = stamp.offset().map(offset -> RecoveryLog.withOffset(positioned, offset)).orElse(positioned);
    adapter.broadcast(BroadcastEncoder.encode(name, message.event(), wireArgs, args, -1, adapter.hasStreamMembers(),
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
    OutboundBroadcast encoded = BroadcastEncoder.encode(name, event, wireArgs, args, -1, adapter.hasStreamMembers(),
        room, position);
    return offset == null ? encoded : encoded.loggedAs(recovery.seqOf(offset));
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
    connectionListeners.add(listener);
    return this;
  }

  @Override
  public Namespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  @Override
  public Map<String, Socket> sockets() {
    return Collections.unmodifiableMap(sockets);
  }

  void removeSocket(RealSocket socket) {
    sockets.remove(socket.id(), socket);
  }

  // ---- connecting

  /** Runs the middlewares for a new socket of {@code client}, then connects it or refuses it. */
  void connect(Client client, JsonNode auth) {
    Handshake handshake = handshake(client.session().request(), auth);
    if (server.streams() != null && recovery != null && recoverable(auth)) {
      recoverShared(client, handshake, auth.get("pid").textValue(), auth.get("offset").textValue());
      return;
    }
    if (recoverable(auth)) {
      recoverLocal(client, handshake, auth.get("pid").textValue(), auth.get("offset").textValue());
      return;
    }
    connectFresh(client, handshake);
  }

  /**
   * Recovery from this node's log, with no gap either: the socket taken back joins its rooms
   * first, holding what they deliver; what it missed is read next, and after the middlewares (unless
   * skipped) it gets what it missed, then what was held, without what both carry. When recovery
   * fails, the client gets a fresh socket.
   */
  private void recoverLocal(Client client, Handshake handshake, String pid, String offset) {
    RecoveryLog.Session session = recovery.take(pid);
    if (session == null) {
      connectFresh(client, handshake);
      return;
    }
    RealSocket socket = new RealSocket(session.sid(), this, client, handshake, new RecoveryLog.Restored(session, List.of()));
    client.addSocket(socket);
    socket.holdDeliveries();
    RecoveryLog.Missed missed = recovery.missed(session, offset);
    if (missed == null || !socket.caughtUp(missed.packets(), message -> message.loggedBy(missed.lastSeq()))) {
      socket.abandon();
      client.removeSocket(socket);
      connectFresh(client, handshake);
      return;
    }
    if (recovery.options().skipMiddlewares()) {
      accept(socket, client);
    } else {
      runMiddleware(socket, client, middlewareChain(), 0);
    }
  }

  /** Connects a fresh socket (new id and session) once the middlewares let it. */
  private void connectFresh(Client client, Handshake handshake) {
    RealSocket socket = new RealSocket(SessionIds.next(), this, client, handshake,
        recovery == null ? null : SessionIds.next());
    runMiddleware(socket, client, middlewareChain(), 0);
  }

  private List<Middleware> middlewareChain() {
    List<Middleware> chain = new ArrayList<>(server.everywhere());
    if (parent != null) {
      chain.addAll(parent.middlewares());
    }
    chain.addAll(middlewares);
    return chain;
  }

  /**
   * Recovery from the shared streams, with no gap between what they hold and what arrives live:
   * the socket taken back first joins its rooms here, holding what they deliver; what it missed is
   * read once every room's broadcasts reach this node; after the middlewares (across nodes only
   * the JSON part of its data comes back, so they run to restore the rest) it gets what it missed,
   * then what was held, without what both carry. When recovery fails, the client gets a fresh socket.
   */
  private void recoverShared(Client client, Handshake handshake, String pid, String offset) {
    AtomicReference<RealSocket> taken = new AtomicReference<>();
    server.streams().restore(name, pid, offset, state -> {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      onLoop(client, () -> {
        if (!client.session().isOpen()) {
          // Kept again, so that the client can still resume from the same offset.
          server.streams().persist(name, state, recovery.options().maxDisconnectionDuration());
          listening.completeExceptionally(new IllegalStateException("the connection closed"));
          return;
        }
        RealSocket socket = new RealSocket(state.sid(), this, client, handshake,
            new RecoveryLog.Restored(session(state), List.of()));
        taken.set(socket);
        client.addSocket(socket);
        socket.holdDeliveries();
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
          && socket.caughtUp(missed(found.get()), message -> message.replayedBy(found.get().replayed()))) {
        runMiddleware(socket, client, middlewareChain(), 0);
        return;
      }
      if (socket != null && socket.holding()) {
        socket.abandon();
        client.removeSocket(socket);
      }
      if (client.session().isOpen()) {
        connectFresh(client, handshake);
      }
    }));
  }

  /** Completes once broadcasts to each of {@code rooms} reach this node; fails after {@link #ROOM_READY_WAIT}. */
  private CompletableFuture<Void> roomsListening(Set<String> rooms) {
    Delivery delivery = server.delivery();
    CompletableFuture<?>[] each = rooms.stream().map(room -> delivery.listening(name, room))
        .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(each).orTimeout(ROOM_READY_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private boolean recoverable(JsonNode auth) {
    if (recovery == null || auth == null) {
      return false;
    }
    JsonNode pid = auth.get("pid");
    JsonNode offset = auth.get("offset");
    return pid != null && pid.isTextual() && offset != null && offset.isTextual();
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
      SioEncoder.Encoded encoded = SioEncoder.event(name, packet.broadcast().event(),
          RecoveryLog.withOffset(args, packet.offset()), -1);
      byte[] text = new byte[encoded.text().readableBytes()];
      encoded.text().readBytes(text);
      encoded.text().release();
      missed.add(new RecoveryLog.Logged(0, text, encoded.attachments(), Set.copyOf(packet.broadcast().rooms()),
          packet.broadcast().except(), 0));
    }
    return missed;
  }

  private void runMiddleware(RealSocket socket, Client client, List<Middleware> chain, int index) {
    if (!client.session().isOpen()) {
      return;
    }
    if (index == chain.size()) {
      accept(socket, client);
      return;
    }
    AtomicBoolean called = new AtomicBoolean();
    Middleware.Next next = new Middleware.Next() {
      @Override
      public void proceed() {
        if (called.compareAndSet(false, true)) {
          onLoop(client, () -> runMiddleware(socket, client, chain, index + 1));
        }
      }

      @Override
      public void fail(String message, Object data) {
        if (called.compareAndSet(false, true)) {
          onLoop(client, () -> refuse(socket, client, message, data));
        }
      }
    };
    try {
      chain.get(index).handle(socket, next);
    } catch (RuntimeException e) {
      log.warn("middleware of namespace {} failed", name, e);
      next.fail(e.getMessage() == null ? "middleware error" : e.getMessage(), null);
    }
  }

  private void refuse(RealSocket socket, Client client, String message, Object data) {
    if (socket.holding()) {
      socket.abandon();
      client.removeSocket(socket);
    }
    if (client.session().isOpen()) {
      client.writeControl(SioEncoder.connectError(name, message, data));
    }
  }

  private void accept(RealSocket socket, Client client) {
    String user = socket.limitUser();
    if (user != null && server.gate().limits().maxConnectionsPerUser() > 0) {
      boolean counted = client.countsUser(user);
      if (!client.admitUser(user)) {
        refuseTooMany(socket, client);
        return;
      }
      if (!counted && server.cluster() != null) {
        server.gate().admitInCluster(user, client.session().id()).whenComplete((admitted, error) -> onLoop(client, () -> {
          if (Boolean.FALSE.equals(admitted)) {
            client.forgetUser(user);
            refuseTooMany(socket, client);
          } else if (client.session().isOpen()) {
            connected(socket, client);
          }
        }));
        return;
      }
    }
    connected(socket, client);
  }

  private void refuseTooMany(RealSocket socket, Client client) {
    refuse(socket, client, "Too many connections", java.util.Map.of("code", "TOO_MANY_CONNECTIONS",
        "message", "at most " + server.gate().limits().maxConnectionsPerUser() + " connections per user"));
  }

  private void connected(RealSocket socket, Client client) {
    client.addSocket(socket);
    sockets.put(socket.id(), socket);
    socket.markConnected();
    String reply = socket.pid() == null
        ? "{\"sid\":\"" + socket.id() + "\"}"
        : "{\"sid\":\"" + socket.id() + "\",\"pid\":\"" + socket.pid() + "\"}";
    client.writeControl(SioEncoder.connect(name, reply));
    socket.replayMissed();
    if (parent != null) {
      for (Consumer<Socket> listener : parent.connectionListeners()) {
        notifyConnection(listener, socket);
      }
    }
    for (Consumer<Socket> listener : connectionListeners) {
      notifyConnection(listener, socket);
    }
  }

  private void notifyConnection(Consumer<Socket> listener, RealSocket socket) {
    try {
      listener.accept(socket);
    } catch (RuntimeException e) {
      log.warn("connection listener of namespace {} failed", name, e);
    }
  }

  private static void onLoop(Client client, Runnable task) {
    EventLoops.runOn(client.session().executor(), task);
  }

  private static Handshake handshake(EngineRequest request, JsonNode auth) {
    return Handshake.of(request, auth != null && auth.isObject() ? auth : null);
  }

  // ---- broadcasting: the whole namespace

  private RealBroadcastOperator all() {
    return new RealBroadcastOperator(this, java.util.Set.of(), java.util.Set.of(), false, false, null);
  }

  @Override
  public BroadcastOperator to(String... rooms) {
    return all().to(rooms);
  }

  @Override
  public BroadcastOperator except(String... rooms) {
    return all().except(rooms);
  }

  @Override
  public BroadcastOperator local() {
    return all().local();
  }

  @Override
  public BroadcastOperator asVolatile() {
    return all().asVolatile();
  }

  @Override
  public BroadcastOperator timeout(Duration timeout) {
    return all().timeout(timeout);
  }

  @Override
  public void emit(String event, Object... args) {
    all().emit(event, args);
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> emitWithPosition(String event, Object... args) {
    return all().emitWithPosition(event, args);
  }

  @Override
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return all().emitWithAck(event, args);
  }

  @Override
  public CompletableFuture<Void> socketsJoin(String... rooms) {
    return all().socketsJoin(rooms);
  }

  @Override
  public CompletableFuture<Void> socketsLeave(String... rooms) {
    return all().socketsLeave(rooms);
  }

  @Override
  public CompletableFuture<Void> disconnectSockets(boolean close) {
    return all().disconnectSockets(close);
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return all().fetchSockets();
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
