package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.rooms.internal.RoomMember;
import dev.switchboard.engineio.Transport;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.socketio.AckEmitter;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.DisconnectListener;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.EventListener;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketObserver;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one client's membership in one namespace: listeners, emits, deliveries and the
 * one path of its disconnection; its {@link SocketRooms}, {@link SocketAcks}, {@link SocketRateLimiter}
 * and {@link SocketRecovery} kept apart. State lives on the client's loop.
 */
public final class RealSocket implements Socket, RoomMember {
  private static final Logger log = LoggerFactory.getLogger(RealSocket.class);

  private final String id;
  private final RealNamespace nsp;
  private final Client client;
  private final Handshake handshake;
  /** {@link #data()}, created on first use: most sockets never store anything. */
  private volatile SocketData data;
  /** Every listener of this socket in one immutable value, replaced whole on registration. */
  private volatile SocketListeners listeners = SocketListeners.NONE;
  /** Created when first needed: most sockets never wait for an ack, nor have limits. Loop-confined. */
  private SocketRateLimiter limiter;
  private SocketAcks acks;
  private final SocketRooms rooms = new SocketRooms(this);
  private volatile boolean connected;
  /** The rooms it was in, while its disconnecting listeners run on its lane; null otherwise. */
  private volatile Set<String> roomsWhileDisconnecting;
  /** Where its handlers run in order off the loop; null when they run on the loop (the default). */
  private final HandlerLane lane;

  /** The private session id for recovery; null when recovery is off. */
  private final String pid;
  /** The recovery of a socket taken back by connection state recovery; null otherwise. */
  private SocketRecovery recovery;
  /**
   * Kept in the shared streams by a shutdown before its connection closes: not kept again then
   * (its client may already have taken it back on another node).
   */
  private volatile boolean keptForShutdown;

  /** A new socket; {@code pid} is null unless connection state recovery is on. */
  RealSocket(String id, RealNamespace nsp, Client client, Handshake handshake, String pid) {
    this.id = id;
    this.nsp = nsp;
    this.client = client;
    this.handshake = handshake;
    this.pid = pid;
    SocketIoOptions options = nsp.server().options();
    this.lane = options.handlerExecutor().isPresent()
        ? new HandlerLane(options.handlerExecutor().get(), options.handlerBacklog())
        : null;
  }

  /** A socket brought back by connection state recovery: same id, data and (once connected) rooms. */
  RealSocket(String id, RealNamespace nsp, Client client, Handshake handshake, RecoveryLog.Restored restored) {
    this(id, nsp, client, handshake, restored.session().pid());
    this.recovery = new SocketRecovery(this, restored);
    data().putAll(restored.session().data());
  }

  String pid() {
    return pid;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Namespace namespace() {
    return nsp;
  }

  RealNamespace realNamespace() {
    return nsp;
  }

  Client client() {
    return client;
  }

  @Override
  public Handshake handshake() {
    return handshake;
  }

  @Override
  public Map<String, Object> data() {
    Map<String, Object> map = data;
    return map != null ? map : createData();
  }

  /** Its data, or an empty map when none was ever stored; readable from any thread. */
  Map<String, Object> dataIfAny() {
    Map<String, Object> map = data;
    return map != null ? map : Map.of();
  }

  private synchronized Map<String, Object> createData() {
    if (data == null) {
      data = new SocketData(this::stateChanged);
    }
    return data;
  }

  @Override
  public Set<String> rooms() {
    Set<String> held = roomsWhileDisconnecting;
    return held != null ? held : rooms.current();
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public boolean recovered() {
    return recovery != null;
  }

  @Override
  public Transport transport() {
    return client.session().transport();
  }

  @Override
  public String connectionId() {
    return client.session().id();
  }

  @Override
  public EventExecutor executor() {
    return client.session().executor();
  }

  // ---- rooms

  @Override
  public CompletableFuture<Void> roomReady(String room) {
    // On the socket's loop, after any join queued before this call has run.
    CompletableFuture<Void> ready = new CompletableFuture<>();
    onLoop(() -> nsp.roomReady(room).whenComplete((ok, error) -> ready.complete(null)));
    return ready;
  }

  @Override
  public Socket join(Collection<String> toJoin) {
    changeRooms(() -> rooms.join(toJoin));
    return this;
  }

  @Override
  public Socket leave(String room) {
    changeRooms(() -> rooms.leave(room));
    return this;
  }

  /**
   * Joins or leaves on the loop; a handler of this socket on its lane waits for it, so that its
   * next look at {@link #rooms()}, and its socket's next handler, see the change, as on the loop.
   */
  private void changeRooms(Runnable change) {
    if (lane == null || !lane.current()) {
      nsp.adapter().changeRooms(this, change);
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor().execute(() -> {
      try {
        change.run();
      } finally {
        done.complete(null);
      }
    });
    done.join();
  }

  // ---- listeners

  @Override
  public Socket on(String event, EventListener listener) {
    if (SioDecoder.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is reserved; use onDisconnect/onDisconnecting");
    }
    java.util.Objects.requireNonNull(event, "event");
    return listen(current -> current.withNamed(event, listener));
  }

  @Override
  public Socket off(String event, EventListener listener) {
    return listen(current -> current.withoutNamed(event, listener));
  }

  private synchronized Socket listen(java.util.function.UnaryOperator<SocketListeners> change) {
    listeners = change.apply(listeners);
    return this;
  }

  @Override
  public Socket onAny(EventListener listener) {
    return listen(current -> current.withAny(listener));
  }

  @Override
  public Socket onUnhandled(EventListener listener) {
    return listen(current -> current.withUnhandled(listener));
  }

  @Override
  public Socket onDisconnecting(DisconnectListener listener) {
    return listen(current -> current.withDisconnecting(listener));
  }

  @Override
  public Socket onDisconnect(DisconnectListener listener) {
    return listen(current -> current.withDisconnect(listener));
  }

  // ---- emitting

  @Override
  public void emit(String event, Object... args) {
    SioEncoder.checkEventName(event);
    nsp.server().meters().sent();
    SocketObserver observer = nsp.server().observer();
    if (observer != null) {
      observer.sent(this, event, args);
    }
    RecoveryLog recovery = nsp.recovery();
    if (recovery == null) {
      client.write(nsp.server().encoder().event(nsp.name(), event, args, -1));
      return;
    }
    nsp.server().delivery().emitRecoverable(nsp, this, event, args);
  }

  /** Emits through this node's recovery log, kept like a broadcast to this socket's own room. */
  void emitLogged(String event, Object[] args) {
    nsp.emitLogged(this, event, args);
  }

  @Override
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return timeout(nsp.server().options().ackTimeout()).emitWithAck(event, args);
  }

  @Override
  public AckEmitter timeout(Duration timeout) {
    return SocketAcks.emitter(this, timeout);
  }

  /** Registers an acknowledgement callback for a broadcast with acks; on the socket's loop. */
  void expectAck(long ackId, Consumer<Args> callback) {
    acks().expect(ackId, callback);
  }

  void forgetAck(long ackId) {
    if (acks != null) {
      acks.forget(ackId);
    }
  }

  @Override
  public void deliver(OutboundBroadcast message, boolean volatileDelivery) {
    if (recovery != null && recovery.intercepts(message, volatileDelivery)) {
      return;
    }
    RealEngineSession session = client.session();
    if (volatileDelivery && !session.writableNow()) {
      nsp.adapter().counts().volatileDropped();
      return;
    }
    session.writeShared(message.socketIoPacket(), message.binary(), message.webSocketFrame(), message.attachments());
  }

  /** Writes a broadcast packet shared with other sockets; on the socket's loop. */
  void writeShared(SioEncoder.Encoded packet, boolean volatileDelivery) {
    if (recovery != null && recovery.holds(packet, volatileDelivery)) {
      return;
    }
    RealEngineSession session = client.session();
    if (volatileDelivery && !session.writableNow()) {
      nsp.adapter().counts().volatileDropped();
      return;
    }
    session.writeMessage(packet.packet().retainedDuplicate(), packet.binary(), packet.attachments());
  }

  @Override
  public BroadcastOperator broadcast() {
    return new RealBroadcastOperator(nsp, Set.of(), Set.of(id), false, false, null);
  }

  void onEvent(SioPacket.Event packet) {
    nsp.server().meters().received();
    if (nsp.server().gate().limits().limitsEvents() && !limiter().admit(packet)) {
      return;
    }
    RealEvent event = new RealEvent(this, packet.name(), new Args(packet.args(), 1), packet.ackId());
    SocketObserver observer = nsp.server().observer();
    if (observer != null) {
      observer.received(this, event.name(), event.args());
    }
    ListenerCalls calls = nsp.server().listenerCalls();
    if (lane == null) {
      calls.dispatch(listeners, event);
    } else if (!lane.offer(() -> calls.dispatch(listeners, event))) {
      backlogFull(event);
    }
  }

  /** Cuts a socket whose handlers fell {@code handlerBacklog} events behind; on the loop. */
  private void backlogFull(RealEvent dropped) {
    if (dropped.hasAck()) {
      acks().paid();
    }
    if (!connected) {
      return;
    }
    String description = "handler backlog full: " + lane.capacity() + " events waiting for this socket's handlers";
    log.warn("socket {} of {} disconnected: {} (\"{}\" dropped); its handlers are slower than its client sends",
        id, nsp.name(), description, dropped.name());
    disconnect(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, description);
  }

  /** Whether its handlers run on its loop (no handler executor). */
  boolean handlersOnLoop() {
    return lane == null;
  }

  /** The executor its handlers run on; null when they run on the loop. */
  java.util.concurrent.Executor handlerExecutor() {
    return lane == null ? null : lane.executor();
  }

  /**
   * Runs {@code handler} where this socket's handlers run: at once on the loop by default, else
   * queued on its lane behind the handlers before it. For work the server itself starts (a
   * middleware, the connection and disconnect listeners, an ack answer), so never refused.
   */
  void runHandler(Runnable handler) {
    if (lane == null) {
      handler.run();
    } else {
      lane.force(handler);
    }
  }

  /** The user whose limits this socket counts against; null when anonymous. */
  String limitUser() {
    return limiter().user();
  }

  void onAck(SioPacket.Ack packet) {
    acks().answered(packet);
  }

  void sendAck(long ackId, Object[] args) {
    client.write(nsp.server().encoder().ack(nsp.name(), ackId, args));
  }

  // ---- lifecycle

  /** Marks the socket connected and joins its own room; on the loop. */
  void markConnected() {
    connected = true;
    nsp.adapter().add(this);
    rooms.joinOnConnect();
    if (recovery != null) {
      join(recovery.session().rooms());
    }
    stateChanged();
  }

  /**
   * Its rooms or its data changed while connected: the cluster may keep its state as it changes;
   * on any thread (data changes wherever a handler runs).
   */
  void stateChanged() {
    if (pid != null && connected) {
      nsp.server().delivery().changed(nsp, this);
    }
  }

  /** Its connection state recovery, when it was taken back; null otherwise. */
  SocketRecovery recovery() {
    return recovery;
  }

  /** Notes that a shutdown kept it for recovery, before closing its connection. */
  void keptForShutdown() {
    keptForShutdown = true;
  }

  /** Whether it is catching up (holding deliveries). */
  boolean holding() {
    return recovery != null && recovery.holding();
  }

  @Override
  public void disconnect(boolean close) {
    if (!close) {
      disconnect(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, "disconnected by the server");
      return;
    }
    onLoop(() -> {
      if (connected) {
        client.disconnectAll();
      }
    });
  }

  @Override
  public void disconnect(DisconnectReason reason, String description) {
    if (reason != DisconnectReason.SERVER_NAMESPACE_DISCONNECT && reason != DisconnectReason.TOKEN_EXPIRED) {
      throw new IllegalArgumentException("a server disconnects a socket for SERVER_NAMESPACE_DISCONNECT or TOKEN_EXPIRED, not "
          + java.util.Objects.requireNonNull(reason, "reason").name());
    }
    onLoop(() -> {
      if (connected) {
        client.writeControl(nsp.server().encoder().disconnect(nsp.name()));
        onClose(reason, description);
      }
    });
  }

  /** The single path every disconnection takes; on the loop. */
  void onClose(DisconnectReason reason, String description) {
    rooms.close();
    if (!connected) {
      if (holding()) {
        recovery.lost(reason);
      }
      return;
    }
    notifyDisconnecting(reason, description);
    connected = false;
    boolean recoverable = pid != null && SocketRecovery.RECOVERABLE.contains(reason);
    if (recoverable && !keptForShutdown) {
      nsp.persist(id, pid, rooms.current(), data());
    }
    if (pid != null) {
      nsp.server().delivery().gone(nsp, this);
    }
    // Kept where another node takes it back: its user comes back there within moments, not gone.
    rooms.leaveAll(recoverable && keptForShutdown);
    nsp.removeSocket(this);
    client.removeSocket(this);
    if (acks != null) {
      acks.failAll(reason);
    }
    notifyDisconnect(listeners.disconnect(), reason, description);
    SocketObserver observer = nsp.server().observer();
    if (observer != null) {
      observer.disconnected(this, reason);
    }
  }

  /**
   * Tells the disconnecting listeners, which still see the socket's rooms; with a handler executor
   * they run after the handlers already queued, when the socket has left its rooms already, and
   * see the rooms it was in.
   */
  private void notifyDisconnecting(DisconnectReason reason, String description) {
    DisconnectListener[] toNotify = listeners.disconnecting();
    if (lane == null) {
      ListenerCalls.notifyAll(toNotify, this, reason, description);
    } else if (toNotify.length > 0) {
      Set<String> wasIn = rooms.current();
      lane.force(() -> {
        roomsWhileDisconnecting = wasIn;
        try {
          ListenerCalls.notifyAll(toNotify, this, reason, description);
        } finally {
          roomsWhileDisconnecting = null;
        }
      });
    }
  }

  /** Tells {@code toNotify} that the socket disconnected; with a handler executor, after the handlers already queued. */
  private void notifyDisconnect(DisconnectListener[] toNotify, DisconnectReason reason, String description) {
    if (lane == null) {
      ListenerCalls.notifyAll(toNotify, this, reason, description);
    } else if (toNotify.length > 0) {
      lane.force(() -> ListenerCalls.notifyAll(toNotify, this, reason, description));
    }
  }

  /** Its acks table, created with the first ack it waits for; on the loop. */
  SocketAcks acks() {
    if (acks == null) {
      acks = new SocketAcks(this);
    }
    return acks;
  }

  private SocketRateLimiter limiter() {
    if (limiter == null) {
      limiter = new SocketRateLimiter(this, nsp.server().gate());
    }
    return limiter;
  }

  void onLoop(Runnable task) {
    EventLoops.runOn(executor(), task);
  }

  @Override
  public String toString() {
    return "Socket[" + id + " " + nsp.name() + "]";
  }
}
