package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.rooms.internal.RoomMember;
import dev.switchboard.engineio.Transport;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.limits.EventLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.socketio.AckEmitter;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.DisconnectListener;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.EventListener;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server side of one client's membership in one namespace. State lives on the client's loop. */
public final class RealSocket implements Socket, RoomMember {
  private static final Logger log = LoggerFactory.getLogger(RealSocket.class);

  private final String id;
  private final RealNamespace nsp;
  private final Client client;
  private final Handshake handshake;
  /** {@link #data()}, created on first use: most sockets never store anything. */
  private volatile Map<String, Object> data;
  /**
   * Every listener of this socket in one immutable value, replaced whole on registration
   * (copy-on-write, as the lists it replaces): a socket with a handful of listeners holds a few
   * small arrays instead of a map of lists.
   */
  private volatile SocketListeners listeners = SocketListeners.NONE;
  /** Disconnections after which the client may come back and recover, as in Node. */
  private static final Set<DisconnectReason> RECOVERABLE = java.util.EnumSet.of(
      DisconnectReason.TRANSPORT_ERROR, DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.FORCED_CLOSE,
      DisconnectReason.PING_TIMEOUT, DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.FORCED_SERVER_CLOSE);
  /** Limits state; loop-confined. */
  private String limitUser;
  private TokenBucket socketBucket;
  private HashMap<String, TokenBucket> eventBuckets;
  private long[] refusals;
  private int refusalCount;
  /** Pending acknowledgements by ack id, created with the first one; loop-confined. */
  private LongObjectHashMap<Consumer<Args>> acks;
  private volatile Set<String> rooms = Set.of();
  private volatile boolean connected;
  /** Rooms joined by middlewares, before the socket is connected; loop-confined. */
  private Set<String> joinedBeforeConnect;
  private boolean closed;

  /** The private session id for recovery; null when recovery is off. */
  private final String pid;
  /** What recovery brought back: the session's rooms and the packets to replay; null otherwise. */
  private RecoveryLog.Restored restored;
  /**
   * While recovered and catching up: what its rooms deliver meanwhile, and the rooms it is in to
   * get it (its own and its restored ones); null otherwise. Loop-confined.
   */
  private HeldDeliveries held;
  private Set<String> heldRooms;
  /**
   * Kept in the shared streams by a shutdown before its connection closes: not kept again then
   * (its client may already have taken it back on another node).
   */
  private volatile boolean keptForShutdown;
  /**
   * Tells which deliveries the read of what it missed carried too; set once the read is done, and
   * asked for as long as the socket lives: one published just before the read may still be on its
   * way to this node after the socket caught up.
   */
  private java.util.function.Predicate<OutboundBroadcast> replayed;

  /** A new socket; {@code pid} is null unless connection state recovery is on. */
  RealSocket(String id, RealNamespace nsp, Client client, Handshake handshake, String pid) {
    this.id = id;
    this.nsp = nsp;
    this.client = client;
    this.handshake = handshake;
    this.pid = pid;
  }

  /** A socket brought back by connection state recovery: same id, data and (once connected) rooms. */
  RealSocket(String id, RealNamespace nsp, Client client, Handshake handshake, RecoveryLog.Restored restored) {
    this(id, nsp, client, handshake, restored.session().pid());
    this.restored = restored;
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
    if (map == null) {
      synchronized (this) {
        map = data;
        if (map == null) {
          map = new ConcurrentHashMap<>();
          data = map;
        }
      }
    }
    return map;
  }

  @Override
  public Set<String> rooms() {
    return rooms;
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public boolean recovered() {
    return restored != null;
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
  public Socket join(String... rooms) {
    return join(List.of(rooms));
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> roomReady(String room) {
    // On the socket's loop, after any join queued before this call has run.
    java.util.concurrent.CompletableFuture<Void> ready = new java.util.concurrent.CompletableFuture<>();
    onLoop(() -> nsp.roomReady(room).whenComplete((ok, error) -> ready.complete(null)));
    return ready;
  }

  @Override
  public Socket join(Collection<String> toJoin) {
    onLoop(() -> {
      if (!connected) {
        if (!closed) {
          if (joinedBeforeConnect == null) {
            joinedBeforeConnect = new HashSet<>();
          }
          joinedBeforeConnect.addAll(toJoin);
        }
        return;
      }
      Set<String> next = null;
      List<String> joinedNow = new java.util.ArrayList<>(1);
      for (String room : toJoin) {
        if (!rooms.contains(room) && (next == null || !next.contains(room))) {
          if (next == null) {
            next = new HashSet<>(rooms);
          }
          next.add(room);
          nsp.adapter().join(this, room);
          joinedNow.add(room);
        }
      }
      if (next != null) {
        rooms = Set.copyOf(next);
        for (String room : joinedNow) {
          nsp.presence().joined(this, room);
        }
      }
    });
    return this;
  }

  @Override
  public Socket leave(String room) {
    onLoop(() -> {
      if (!connected && joinedBeforeConnect != null) {
        joinedBeforeConnect.remove(room);
      }
      if (connected && rooms.contains(room)) {
        Set<String> next = new HashSet<>(rooms);
        next.remove(room);
        rooms = Set.copyOf(next);
        nsp.adapter().leave(this, room);
        nsp.presence().left(this, room);
      }
    });
    return this;
  }

  // ---- listeners

  @Override
  public Socket on(String event, EventListener listener) {
    if (SioDecoder.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is reserved; use onDisconnect/onDisconnecting");
    }
    java.util.Objects.requireNonNull(event, "event");
    synchronized (this) {
      listeners = listeners.withNamed(event, listener);
    }
    return this;
  }

  @Override
  public Socket off(String event, EventListener listener) {
    synchronized (this) {
      listeners = listeners.withoutNamed(event, listener);
    }
    return this;
  }

  @Override
  public Socket onAny(EventListener listener) {
    synchronized (this) {
      listeners = listeners.withAny(listener);
    }
    return this;
  }

  @Override
  public Socket onUnhandled(EventListener listener) {
    synchronized (this) {
      listeners = listeners.withUnhandled(listener);
    }
    return this;
  }

  @Override
  public Socket onDisconnecting(DisconnectListener listener) {
    synchronized (this) {
      listeners = listeners.withDisconnecting(listener);
    }
    return this;
  }

  @Override
  public Socket onDisconnect(DisconnectListener listener) {
    synchronized (this) {
      listeners = listeners.withDisconnect(listener);
    }
    return this;
  }

  // ---- emitting

  @Override
  public void emit(String event, Object... args) {
    checkEventName(event);
    RecoveryLog recovery = nsp.recovery();
    if (recovery == null) {
      client.write(SioEncoder.event(nsp.name(), event, args, -1));
      return;
    }
    nsp.server().delivery().emitRecoverable(nsp, this, event, args);
  }

  /** Emits through this node's recovery log, kept like a broadcast to this socket's own room. */
  void emitLogged(String event, Object[] args) {
    nsp.recovery().send(Set.of(id), Set.of(),
        offset -> SioEncoder.event(nsp.name(), event, RecoveryLog.withOffset(args, offset), -1),
        packet -> packet, client::write);
  }

  @Override
  public CompletableFuture<Args> emitWithAck(String event, Object... args) {
    return timeout(nsp.server().options().ackTimeout()).emitWithAck(event, args);
  }

  @Override
  public AckEmitter timeout(Duration timeout) {
    return (event, args) -> {
      checkEventName(event);
      long ackId = nsp.nextAckId();
      SioEncoder.Encoded packet = SioEncoder.event(nsp.name(), event, args, ackId);
      CompletableFuture<Args> result = new CompletableFuture<>();
      onLoop(() -> {
        if (!connected) {
          packet.text().release();
          result.completeExceptionally(new SocketIoException("DISCONNECTED", "socket " + id + " is not connected"));
          return;
        }
        ScheduledFuture<?> timer = executor().schedule(() -> {
          if (acks != null && acks.remove(ackId) != null) {
            result.completeExceptionally(new AckTimeoutException(
                "no acknowledgement for \"" + event + "\" within " + timeout.toMillis() + " ms", List.of()));
          }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pendingAcks().put(ackId, new FailableAck() {
          @Override
          public void accept(Args answer) {
            timer.cancel(false);
            result.complete(answer);
          }

          @Override
          public void fail(SocketIoException error) {
            timer.cancel(false);
            result.completeExceptionally(error);
          }
        });
        client.write(packet);
      });
      return result;
    };
  }

  /** Registers an acknowledgement callback for a broadcast with acks; on the socket's loop. */
  void expectAck(long ackId, Consumer<Args> callback) {
    pendingAcks().put(ackId, callback);
  }

  void forgetAck(long ackId) {
    if (acks != null) {
      acks.remove(ackId);
    }
  }

  private LongObjectHashMap<Consumer<Args>> pendingAcks() {
    if (acks == null) {
      acks = new LongObjectHashMap<>(4);
    }
    return acks;
  }

  @Override
  public void deliver(OutboundBroadcast message, boolean volatileDelivery) {
    if (held != null) {
      held.add(message, volatileDelivery);
      return;
    }
    if (replayed != null && replayed.test(message)) {
      return;
    }
    RealEngineSession session = client.session();
    if (volatileDelivery && !session.writableNow()) {
      return;
    }
    session.writeShared(message.socketIoText(), message.webSocketFrame());
    client.writeAttachments(message.attachments());
  }

  /** Writes a broadcast packet shared with other sockets; on the socket's loop. */
  void writeShared(SioEncoder.Encoded packet, boolean volatileDelivery) {
    if (held != null) {
      held.add(packet, volatileDelivery);
      return;
    }
    RealEngineSession session = client.session();
    if (volatileDelivery && !session.writableNow()) {
      return;
    }
    session.write(packet.text().retainedDuplicate(), false);
    client.writeAttachments(packet.attachments());
  }

  @Override
  public BroadcastOperator to(String... rooms) {
    return broadcast().to(rooms);
  }

  @Override
  public BroadcastOperator except(String... rooms) {
    return broadcast().except(rooms);
  }

  @Override
  public BroadcastOperator broadcast() {
    return new RealBroadcastOperator(nsp, Set.of(), Set.of(id), false, false, null);
  }

  // ---- inbound

  void onEvent(SioPacket.Event packet) {
    if (nsp.server().gate().limits().limitsEvents() && !admitEvent(packet.name())) {
      refuseEvent(packet);
      return;
    }
    RealEvent event = new RealEvent(this, packet.name(), new Args(packet.args(), 1), packet.ackId());
    SocketListeners current = listeners;
    ListenerCalls calls = nsp.server().listenerCalls();
    RuntimeException failure = null;
    for (EventListener listener : current.any()) {
      failure = firstOf(failure, calls.call(listener, event));
    }
    String name = event.name();
    String[] names = current.names();
    EventListener[] named = current.named();
    boolean handled = false;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        handled = true;
        failure = firstOf(failure, calls.call(named[i], event));
      }
    }
    if (!handled) {
      for (EventListener listener : current.unhandled()) {
        failure = firstOf(failure, calls.call(listener, event));
      }
    }
    if (failure != null) {
      // A listener that threw will not answer: the client hears of it instead of waiting forever.
      event.ack(ListenerCalls.failureAnswer(name, failure));
    }
  }

  private static RuntimeException firstOf(RuntimeException first, RuntimeException next) {
    return first != null ? first : next;
  }

  // ---- limits

  /** The user whose limits this socket counts against; null when anonymous. */
  String limitUser() {
    if (limitUser == null) {
      String member = nsp.server().options().presenceIdentity().identify(this).id();
      limitUser = member.equals(id) ? "" : member;
    }
    return limitUser.isEmpty() ? null : limitUser;
  }

  private boolean admitEvent(String event) {
    EventLimits limits = nsp.server().gate().limits();
    long now = System.nanoTime();
    RateLimit own = limits.perEvent().get(event);
    TokenBucket bucket;
    if (own != null) {
      if (eventBuckets == null) {
        eventBuckets = new HashMap<>();
      }
      bucket = eventBuckets.computeIfAbsent(event, e -> new TokenBucket(own, now));
    } else if (limits.perSocket().isPresent()) {
      if (socketBucket == null) {
        socketBucket = new TokenBucket(limits.perSocket().get(), now);
      }
      bucket = socketBucket;
    } else {
      bucket = null;
    }
    if (bucket != null && !bucket.tryTake(now)) {
      return false;
    }
    String user = limitUser();
    return user == null || nsp.server().gate().allowUserEvent(user, now);
  }

  /** Answers a refused event with RATE_LIMITED; ends the connection of a client that keeps at it. */
  private void refuseEvent(SioPacket.Event packet) {
    Map<String, Object> error = Map.of("code", "RATE_LIMITED",
        "message", "too many events; \"" + packet.name() + "\" was dropped", "event", packet.name());
    if (packet.ackId() >= 0) {
      sendAck(packet.ackId(), new Object[] {Map.of("ok", false, "error", error)});
    } else {
      emit(ReservedEvents.ERROR, error);
    }
    int threshold = nsp.server().gate().limits().disconnectAfterRefusals();
    if (threshold == 0) {
      return;
    }
    long now = System.nanoTime();
    if (refusals == null) {
      refusals = new long[threshold];
    }
    refusals[refusalCount % threshold] = now;
    refusalCount++;
    // Once full, the ring's next slot holds the first of the last `threshold` refusals.
    if (refusalCount >= threshold && now - refusals[refusalCount % threshold] < EventLimits.REFUSAL_WINDOW_NANOS) {
      log.info("socket {}: disconnected after {} refused events within 10 s", id, threshold);
      client.disconnectAll(DisconnectReason.RATE_LIMITED, threshold + " events refused within 10 s");
    }
  }

  void onAck(SioPacket.Ack packet) {
    Consumer<Args> callback = acks == null ? null : acks.remove(packet.ackId());
    if (callback == null) {
      log.debug("socket {}: unexpected ack {}", id, packet.ackId());
      return;
    }
    callback.accept(new Args(packet.args(), 0));
  }

  void sendAck(long ackId, Object[] args) {
    client.write(SioEncoder.ack(nsp.name(), ackId, args));
  }

  // ---- lifecycle

  /** Marks the socket connected and joins its own room; on the loop. */
  void markConnected() {
    connected = true;
    nsp.adapter().add(this);
    rooms = Set.of(id);
    nsp.adapter().join(this, id);
    if (joinedBeforeConnect != null) {
      Set<String> early = joinedBeforeConnect;
      joinedBeforeConnect = null;
      join(early);
    }
    if (restored != null) {
      join(restored.session().rooms());
    }
  }

  /**
   * Sends what a recovered socket missed, in order, then what its rooms delivered while it caught
   * up, without what both carry; after the CONNECT answer. On the loop.
   */
  void replayMissed() {
    if (restored == null) {
      return;
    }
    for (RecoveryLog.Logged packet : restored.missed()) {
      client.write(new SioEncoder.Encoded(Unpooled.wrappedBuffer(packet.text()), packet.attachments()));
    }
    if (held != null) {
      HeldDeliveries caughtUp = held;
      held = null;
      heldRooms = null;
      if (caughtUp.overflowed()) {
        // More arrived while the middlewares ran than may be held: the client comes back and
        // recovers again from what it has.
        caughtUp.discard();
        client.session().close(dev.switchboard.engineio.CloseReason.FORCED_CLOSE, "too much to hold while recovering");
        return;
      }
      caughtUp.release(this);
      // From now on packets to this socket alone may be ones this node sends it (socket.emit): on
      // a Redis Cluster they come from a stream of their own, whose offsets no read compared.
      java.util.function.Predicate<OutboundBroadcast> read = replayed;
      replayed = message -> !message.keptFor(id) && read.test(message);
    }
  }

  // ---- catching up, when recovered

  /**
   * Starts catching up: joins its own room and its restored rooms here, holding what they deliver
   * until {@link #replayMissed}. On the loop, before what it missed is read.
   */
  void holdDeliveries() {
    held = new HeldDeliveries();
    heldRooms = new HashSet<>(restored.session().rooms());
    heldRooms.add(id);
    nsp.adapter().add(this);
    for (String room : heldRooms) {
      nsp.adapter().join(this, room);
    }
  }

  /** Notes that a shutdown kept it for recovery, before closing its connection. */
  void keptForShutdown() {
    keptForShutdown = true;
  }

  /** Whether it is catching up (holding deliveries). */
  boolean holding() {
    return held != null;
  }

  /**
   * What it missed has been read: {@code missed} to replay, {@code replayed} to tell which held
   * deliveries it carried too. False when more was held than may be: the recovery cannot be exact.
   */
  boolean caughtUp(java.util.List<RecoveryLog.Logged> missed, java.util.function.Predicate<OutboundBroadcast> replayed) {
    restored = new RecoveryLog.Restored(restored.session(), missed);
    this.replayed = replayed;
    return !held.overflowed();
  }

  /** Stops catching up, delivering nothing: the recovery failed, or the socket was refused or lost. */
  void abandon() {
    if (held == null) {
      return;
    }
    held.discard();
    held = null;
    nsp.adapter().remove(this, heldRooms);
    heldRooms = null;
  }

  @Override
  public void disconnect(boolean close) {
    onLoop(() -> {
      if (!connected) {
        return;
      }
      if (close) {
        client.disconnectAll();
      } else {
        client.writeControl(SioEncoder.disconnect(nsp.name()));
        onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, "disconnected by the server");
      }
    });
  }

  /** Leaves the namespace for {@code reason}; the client is told (DISCONNECT packet). */
  public void disconnect(DisconnectReason reason, String description) {
    onLoop(() -> {
      if (connected) {
        client.writeControl(SioEncoder.disconnect(nsp.name()));
        onClose(reason, description);
      }
    });
  }

  /** The single path every disconnection takes; on the loop. */
  void onClose(DisconnectReason reason, String description) {
    closed = true;
    joinedBeforeConnect = null;
    if (!connected) {
      if (held != null) {
        abandon();
        // Taken back but never answered: kept again, so the client resumes from the same offset.
        if (RECOVERABLE.contains(reason)) {
          nsp.persist(id, pid, restored.session().rooms(), data());
        }
      }
      return;
    }
    for (DisconnectListener listener : listeners.disconnecting()) {
      notify(listener, reason, description);
    }
    connected = false;
    if (pid != null && RECOVERABLE.contains(reason) && !keptForShutdown) {
      nsp.persist(id, pid, rooms, data());
    }
    Set<String> wasIn = rooms;
    nsp.adapter().remove(this, wasIn);
    rooms = Set.of();
    for (String room : wasIn) {
      nsp.presence().left(this, room);
    }
    nsp.removeSocket(this);
    client.removeSocket(this);
    if (acks != null && !acks.isEmpty()) {
      SocketIoException gone = new SocketIoException("DISCONNECTED", "socket " + id + " disconnected: " + reason);
      for (Consumer<Args> callback : List.copyOf(acks.values())) {
        if (callback instanceof FailableAck failable) {
          failable.fail(gone);
        }
      }
      acks.clear();
    }
    for (DisconnectListener listener : listeners.disconnect()) {
      notify(listener, reason, description);
    }
  }

  private void notify(DisconnectListener listener, DisconnectReason reason, String description) {
    try {
      listener.onDisconnect(reason, description);
    } catch (RuntimeException e) {
      log.warn("disconnect listener on socket {} failed", id, e);
    }
  }

  /** An ack callback that can also be told the socket went away. */
  interface FailableAck extends Consumer<Args> {
    void fail(SocketIoException error);
  }

  private void onLoop(Runnable task) {
    EventLoops.runOn(executor(), task);
  }

  private static void checkEventName(String event) {
    if (SioDecoder.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
  }

  @Override
  public String toString() {
    return "Socket[" + id + " " + nsp.name() + "]";
  }
}
