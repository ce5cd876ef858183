package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.engineio.EngineSession;
import dev.switchboard.engineio.Transport;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.internal.LoopFlusher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one Engine.IO session. Every method runs on the session's event loop
 * ({@link #executor()}); calls from elsewhere hop onto it. Packets for a polling client wait in
 * {@link #queue} until a GET takes them; packets for a WebSocket client go straight to the
 * channel, and both are flushed once per event-loop turn by {@link LoopFlusher}.
 */
public final class RealEngineSession implements EngineSession, LoopFlusher.Target {
  private static final Logger log = LoggerFactory.getLogger(RealEngineSession.class);
  private static final Listener NO_LISTENER = new Listener() {};
  /** How long a closing polling session waits for the client's next GET to take its last packets. */
  private static final long CLOSE_DRAIN_TIMEOUT_MS = 5_000;
  private static final String POLLING_CONTENT_TYPE = "text/plain; charset=UTF-8";
  /**
   * Longest wait for a poll that may be on its way when a client closes over polling. A client
   * holds one poll at a time; sent before the close on another connection, it may be read by
   * another event loop later than the close. Until that poll has come (or this time has passed),
   * the close is not answered and the session stays findable; see {@link #closeByClient}.
   */
  static final long POLL_IN_FLIGHT_WAIT_MS = 1_000;
  /** While an upgrade's probe is answered, how often a waiting poll gets a noop (as in Node). */
  private static final long UPGRADE_CHECK_MS = 100;

  private enum State { OPEN, CLOSING, CLOSED }

  private record Outbound(ByteBuf packet, boolean binary) {}

  private final String id;
  private final EventLoop loop;
  private final EngineRequest request;
  private final EngineIoOptions options;
  private final SessionRegistry registry;
  /** Sized small: a WebSocket session never queues, a polling one grows it as needed. */
  private final ArrayDeque<Outbound> queue = new ArrayDeque<>(2);
  /** Bytes in {@link #queue}, held to the outbound budget. */
  private long queuedBytes;
  private boolean slowConsumer;
  /** A server-side close asked for while an answered probe awaits its upgrade packet; else null. */
  private CloseReason closeAfterUpgrade;
  private String closeAfterUpgradeDescription;
  private Listener listener = NO_LISTENER;
  private State state = State.OPEN;
  /** Also read by the loops that receive this session's requests. */
  private volatile Transport transport;
  /** Set once the session has ended, for the loops that receive its requests. */
  private volatile boolean ended;
  /** Whether the client ended the session with a close packet over polling. */
  private boolean closedByClient;
  /** When the client was told its close was done ({@link System#nanoTime()}); until then, the maximum. */
  private long closeAnsweredAt = Long.MAX_VALUE;
  /** The client's close, answered once its poll is accounted for; else null. */
  private PollExchange heldClose;
  private ScheduledFuture<?> heldCloseTask;
  private ScheduledFuture<?> upgradeCheckTask;
  private WebSocketTransport webSocket;
  private WebSocketTransport probe;
  private boolean probed;
  private PollExchange pendingGet;
  private boolean flushMarked;
  private ScheduledFuture<?> pingTask;
  private ScheduledFuture<?> pingTimeoutTask;
  private ScheduledFuture<?> upgradeTimeoutTask;

  RealEngineSession(String id, EventLoop loop, EngineRequest request, EngineIoOptions options, SessionRegistry registry) {
    this.id = id;
    this.loop = loop;
    this.request = request;
    this.options = options;
    this.registry = registry;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public EngineRequest request() {
    return request;
  }

  @Override
  public EventExecutor executor() {
    return loop;
  }

  @Override
  public boolean isOpen() {
    return state == State.OPEN;
  }

  /** Whether the session has ended; safe from any thread. */
  boolean hasEnded() {
    return ended;
  }

  @Override
  public void listener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void send(String text) {
    write(EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.MESSAGE, text), false);
  }

  @Override
  public void send(byte[] data) {
    write(Unpooled.wrappedBuffer(data), true);
  }

  @Override
  public void close() {
    if (loop.inEventLoop()) {
      close(CloseReason.FORCED_CLOSE, "closed by the server");
    } else {
      loop.execute(this::close);
    }
  }

  // ---- opening

  /** Starts a session whose handshake came over polling: the open packet answers {@code get}. */
  void openWithPolling(HttpExchange get, ConnectionCallback onConnection) {
    transport = Transport.POLLING;
    pendingGet = new LocalPoll(get, options.cors(), System.nanoTime());
    writeControl(EngineCodec.OPEN, handshakeJson());
    schedulePing();
    onConnection.accept(this);
    flushNow();
  }

  /** Starts a WebSocket-only session: the open packet is the first frame. */
  void openWithWebSocket(WebSocketTransport ws, ConnectionCallback onConnection) {
    transport = Transport.WEBSOCKET;
    webSocket = ws;
    writeControl(EngineCodec.OPEN, handshakeJson());
    schedulePing();
    onConnection.accept(this);
    flushNow();
  }

  /** Called when a session is created, before its first packet is read. */
  @FunctionalInterface
  interface ConnectionCallback {
    void accept(RealEngineSession session);
  }

  private String handshakeJson() {
    String upgrades = options.upgradesFrom(transport) ? "[\"websocket\"]" : "[]";
    return "{\"sid\":\"" + id + "\",\"upgrades\":" + upgrades
        + ",\"pingInterval\":" + options.pingInterval().toMillis()
        + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
        + ",\"maxPayload\":" + options.maxHttpBufferSize() + "}";
  }

  // ---- writing

  /**
   * Sends one encoded packet (for text: the type character and data; for binary: the raw bytes),
   * taking ownership of {@code packet}. This is the path every message takes, broadcasts included.
   */
  public void write(ByteBuf packet, boolean binary) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> write(packet, binary));
      return;
    }
    if (state != State.OPEN || slowConsumer) {
      packet.release();
      return;
    }
    if (transport == Transport.WEBSOCKET) {
      webSocket.write(packet, binary);
      markDirty();
      long pending = webSocket.pendingBytes();
      if (pending > options.maxBufferedBytes()) {
        cutSlowConsumer(pending + " bytes waiting to be sent, more than " + options.maxBufferedBytes());
      }
    } else {
      queuedBytes += packet.readableBytes();
      queue.add(new Outbound(packet, binary));
      if (pendingGet != null) {
        markDirty();
      }
      if (queuedBytes > options.maxBufferedBytes()) {
        cutSlowConsumer("more than " + options.maxBufferedBytes() + " bytes waiting for a poll");
      }
    }
  }

  /**
   * Sends a text packet shared with other sessions (a broadcast), given both as the packet itself
   * and as a ready-made WebSocket frame of it. Over WebSocket the frame's bytes go out as they are,
   * skipping the per-recipient frame object and header encoding; over polling the packet is queued.
   * Neither buffer changes hands: this takes its own references. On the session's loop.
   */
  public void writeShared(ByteBuf packet, ByteBuf webSocketFrame) {
    if (transport == Transport.WEBSOCKET && state == State.OPEN && !slowConsumer) {
      webSocket.writeFramed(webSocketFrame.retainedDuplicate());
      markDirty();
      long pending = webSocket.pendingBytes();
      if (pending > options.maxBufferedBytes()) {
        cutSlowConsumer(pending + " bytes waiting to be sent, more than " + options.maxBufferedBytes());
      }
    } else {
      write(packet.retainedDuplicate(), false);
    }
  }

  /**
   * Stops writing to a client over its outbound budget and closes it in a task of its own: the
   * write that found out may be in the middle of a broadcast iterating the room.
   */
  private void cutSlowConsumer(String description) {
    slowConsumer = true;
    log.info("session {}: closed as a slow consumer ({})", id, description);
    loop.execute(() -> close(CloseReason.SLOW_CONSUMER, description));
  }

  /** Whether a message written now would leave at once (what volatile broadcasts check). */
  public boolean writableNow() {
    return state == State.OPEN
        && (transport == Transport.WEBSOCKET ? webSocket.writable() : pendingGet != null);
  }

  private void writeControl(char type, String data) {
    ByteBuf packet = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, type, data);
    if (transport == Transport.WEBSOCKET) {
      webSocket.write(packet, false);
      markDirty();
    } else {
      queue.add(new Outbound(packet, false));
      if (pendingGet != null) {
        markDirty();
      }
    }
  }

  private void markDirty() {
    if (!flushMarked) {
      flushMarked = true;
      LoopFlusher.mark(this, options.writeDelay().toNanos());
    }
  }

  /** Sends what is pending: a WebSocket flush, or the queue as the answer to a pending GET. */
  @Override
  public void flushNow() {
    flushMarked = false;
    if (transport == Transport.WEBSOCKET) {
      webSocket.flush();
    } else if (pendingGet != null && !queue.isEmpty()) {
      answerPoll(false);
    }
  }

  /** Answers the pending GET with every queued packet, then a close packet if asked. */
  private void answerPoll(boolean withClose) {
    answer(takePendingGet(), withClose);
  }

  private void answer(PollExchange get, boolean withClose) {
    ByteBuf payload = get.alloc().buffer(256);
    Outbound next;
    while ((next = queue.poll()) != null) {
      try {
        EngineCodec.appendToPayload(payload, next.packet(), next.binary());
      } finally {
        next.packet().release();
      }
    }
    queuedBytes = 0;
    if (withClose) {
      if (payload.isReadable()) {
        payload.writeByte(EngineCodec.SEPARATOR);
      }
      payload.writeByte(EngineCodec.CLOSE);
    }
    if (!payload.isReadable()) {
      payload.writeByte(EngineCodec.NOOP);
    }
    get.respond(HttpResponseStatus.OK, POLLING_CONTENT_TYPE, payload);
  }

  private void answerPollWith(char type) {
    takePendingGet().respond(HttpResponseStatus.OK, POLLING_CONTENT_TYPE, Unpooled.wrappedBuffer(new byte[] {(byte) type}));
  }

  private PollExchange takePendingGet() {
    PollExchange get = pendingGet;
    pendingGet = null;
    get.watchClient(null);
    return get;
  }

  // ---- polling requests

  /** A long-polling GET for this session, received here or forwarded by another node. */
  void onPollRequest(PollExchange get) {
    if (state == State.CLOSING) {
      // The last packets first, the close packet on the next poll (see close()).
      boolean last = queue.isEmpty();
      answer(get, last);
      if (last) {
        finishClose();
      }
      return;
    }
    if (state == State.CLOSED) {
      if (closedByClient && get.arrivedAt() < closeAnsweredAt) {
        // Sent before the client knew its close was done: the last noop, as a poll pending at the close gets.
        get.respond(HttpResponseStatus.OK, POLLING_CONTENT_TYPE, Unpooled.wrappedBuffer(new byte[] {(byte) EngineCodec.NOOP}));
        if (heldClose != null) {
          answerClose();
        }
      } else {
        get.respondError(EngineError.UNKNOWN_SID);
      }
      return;
    }
    if (transport != Transport.POLLING) {
      get.respondError(EngineError.BAD_REQUEST);
      return;
    }
    if (pendingGet != null) {
      get.respondError(EngineError.BAD_REQUEST);
      close(CloseReason.TRANSPORT_ERROR, "overlapping GET requests");
      return;
    }
    pendingGet = get;
    get.watchClient(() -> loop.execute(() -> {
      if (pendingGet == get) {
        pendingGet = null;
        close(CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
      }
    }));
    // While a probe is answered, an empty poll waits for the next upgrade check, as in Node: the
    // upgrade packet may be on its way on another loop, and a poll sent after it is refused.
    if (!queue.isEmpty()) {
      markDirty();
    }
  }

  /** A polling POST carrying {@code body}, a payload of packets, received here or forwarded by another node. */
  void onDataRequest(PollExchange post, String body) {
    if (state != State.OPEN || transport != Transport.POLLING) {
      post.respondError(state == State.CLOSED ? EngineError.UNKNOWN_SID : EngineError.BAD_REQUEST);
      return;
    }
    List<EnginePacket> packets;
    try {
      packets = EngineCodec.decodePayload(body);
    } catch (EngineProtocolException e) {
      post.respondError(EngineError.BAD_REQUEST);
      close(CloseReason.PARSE_ERROR, e.getMessage());
      return;
    }
    boolean closes = packets.stream().anyMatch(packet -> packet instanceof EnginePacket.Close);
    if (!closes) {
      post.respond(HttpResponseStatus.OK, "text/html", Unpooled.wrappedBuffer(OK));
    }
    for (EnginePacket packet : packets) {
      if (state != State.OPEN) {
        break;
      }
      if (packet instanceof EnginePacket.Close) {
        closeByClient(post);
        return;
      }
      onPacket(packet);
    }
    if (closes) {
      post.respond(HttpResponseStatus.OK, "text/html", Unpooled.wrappedBuffer(OK));
    }
  }

  /**
   * The client's close packet over polling. As in Node, a pending poll ends with a noop, and the
   * session is gone for requests sent after the client was told its close was done. Without a
   * pending poll, the client's poll may be on its way on another loop: the close's answer waits
   * for it (which then gets the noop too), at most {@link #POLL_IN_FLIGHT_WAIT_MS}.
   */
  private void closeByClient(PollExchange post) {
    closedByClient = true;
    boolean pollPending = pendingGet != null;
    close(CloseReason.TRANSPORT_CLOSE, "client sent a close packet");
    heldClose = post;
    if (pollPending) {
      answerClose();
    } else {
      heldCloseTask = loop.schedule(this::answerClose, POLL_IN_FLIGHT_WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void answerClose() {
    cancel(heldCloseTask);
    PollExchange post = heldClose;
    heldClose = null;
    closeAnsweredAt = System.nanoTime();
    registry.remove(this);
    post.respond(HttpResponseStatus.OK, "text/html", Unpooled.wrappedBuffer(OK));
  }

  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

  /** The body of an oversized POST was refused: the client broke maxHttpBufferSize. */
  void onOversizedRequest() {
    close(CloseReason.TRANSPORT_ERROR, "payload larger than maxHttpBufferSize");
  }

  /**
   * The node that forwarded GET {@code pollId} lost its client: while the GET waits, as when a
   * local poll's connection closes; once answered, the answer (and its packets) went nowhere, so
   * the session ends rather than losing them silently.
   */
  void onPollAbandoned(String pollId) {
    if (pendingGet instanceof RelayedPoll relayed && relayed.id().equals(pollId)) {
      relayed.clientGone();
    } else if (transport == Transport.POLLING) {
      close(CloseReason.TRANSPORT_ERROR, "a poll answer was not delivered");
    }
  }

  // ---- WebSocket

  /** A frame from the session's current WebSocket. */
  void onWebSocketPacket(WebSocketTransport from, EnginePacket packet) {
    if (from == webSocket) {
      onPacket(packet);
    } else if (from == probe) {
      onProbePacket(packet);
    }
  }

  /** The WebSocket {@code ws} closed or failed. */
  void onWebSocketClosed(WebSocketTransport ws, boolean error) {
    if (ws == webSocket && state != State.CLOSED) {
      close(error ? CloseReason.TRANSPORT_ERROR : CloseReason.TRANSPORT_CLOSE,
          error ? "websocket error" : "websocket closed");
    } else if (ws == probe) {
      cancelUpgrade();
    }
  }

  /** Starts an upgrade: {@code ws} is probed and becomes the transport on {@code 5}. */
  boolean beginUpgrade(WebSocketTransport ws) {
    if (state != State.OPEN || transport != Transport.POLLING || probe != null) {
      return false;
    }
    probe = ws;
    probed = false;
    upgradeTimeoutTask = loop.schedule(() -> {
      log.debug("session {}: upgrade timed out", id);
      cancelUpgrade();
    }, options.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  private void onProbePacket(EnginePacket packet) {
    if (packet instanceof EnginePacket.Ping ping && "probe".equals(ping.data()) && !probed) {
      probed = true;
      probe.write(EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PONG, "probe"), false);
      probe.flush();
      if (pendingGet != null) {
        if (queue.isEmpty()) {
          answerPollWith(EngineCodec.NOOP);
        } else {
          answerPoll(false);
        }
      }
      upgradeCheckTask = loop.scheduleAtFixedRate(this::upgradeCheck, UPGRADE_CHECK_MS, UPGRADE_CHECK_MS,
          TimeUnit.MILLISECONDS);
    } else if (packet instanceof EnginePacket.Upgrade && probed) {
      completeUpgrade();
    } else {
      log.debug("session {}: unexpected packet during upgrade: {}", id, packet);
      cancelUpgrade();
    }
  }

  /** Ends a poll that waits while the probe is answered, so that the client can pause polling. */
  private void upgradeCheck() {
    if (pendingGet != null && transport == Transport.POLLING) {
      answerPoll(false);
    }
  }

  private void completeUpgrade() {
    cancel(upgradeTimeoutTask);
    cancel(upgradeCheckTask);
    webSocket = probe;
    probe = null;
    probed = false;
    transport = Transport.WEBSOCKET;
    if (pendingGet != null) {
      // A client pauses polling before it sends the upgrade packet: a poll still waiting was then
      // sent after it, and read first on another loop. Node refuses polls sent after the upgrade.
      takePendingGet().respondError(EngineError.BAD_REQUEST);
    }
    Outbound next;
    while ((next = queue.poll()) != null) {
      webSocket.write(next.packet(), next.binary());
    }
    queuedBytes = 0;
    webSocket.flush();
    listener.onUpgrade(this, transport);
    closeIfAsked();
  }

  /** Carries out a close that waited for an upgrade to end. */
  private void closeIfAsked() {
    CloseReason reason = closeAfterUpgrade;
    if (reason != null) {
      closeAfterUpgrade = null;
      close(reason, closeAfterUpgradeDescription);
    }
  }

  private void cancelUpgrade() {
    cancel(upgradeTimeoutTask);
    cancel(upgradeCheckTask);
    if (probe != null) {
      probe.close();
      probe = null;
    }
    probed = false;
    closeIfAsked();
  }

  // ---- packets

  private void onPacket(EnginePacket packet) {
    switch (packet) {
      case EnginePacket.TextMessage message -> listener.onMessage(this, message.text());
      case EnginePacket.BinaryMessage message -> listener.onBinary(this, message.data());
      case EnginePacket.Pong pong -> {
        cancel(pingTimeoutTask);
        schedulePing();
      }
      case EnginePacket.Close close -> close(CloseReason.TRANSPORT_CLOSE, "client sent a close packet");
      case EnginePacket.Ping ping -> { }
      case EnginePacket.Upgrade upgrade -> { }
      case EnginePacket.Noop noop -> { }
    }
  }

  /** A packet that could not be decoded. */
  void onInvalidPacket(String description) {
    close(CloseReason.PARSE_ERROR, description);
  }

  // ---- heartbeat

  private void schedulePing() {
    pingTask = loop.schedule(this::ping, options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void ping() {
    if (state != State.OPEN) {
      return;
    }
    writeControl(EngineCodec.PING, "");
    pingTimeoutTask = loop.schedule(
        () -> close(CloseReason.PING_TIMEOUT, "no pong within " + options.pingTimeout().toMillis() + " ms"),
        options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- closing

  /** Ends the session; the single path every kind of ending takes. */
  public void close(CloseReason reason, String description) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> close(reason, description));
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    if (byServer(reason) && probed && pendingGet == null) {
      // The client answered the probe and paused polling: no GET will come to take the last
      // packets, but its upgrade packet will. Close once the upgrade completes (or times out).
      closeAfterUpgrade = reason;
      closeAfterUpgradeDescription = description;
      return;
    }
    log.debug("session {} closing: {} ({})", id, reason, description);
    cancel(pingTask);
    cancel(pingTimeoutTask);
    cancelUpgrade();
    state = State.CLOSING;
    try {
      listener.onClose(this, reason, description);
    } catch (RuntimeException e) {
      log.warn("session {}: close listener failed", id, e);
    }
    if (transport == Transport.WEBSOCKET) {
      // As Node does, end with a close frame whatever the reason (a no-op once the peer is gone).
      webSocket.close();
      finishClose();
    } else if (pendingGet != null && (!byServer(reason) || queue.isEmpty())) {
      // As in Node: a close packet ends the poll, except when the client itself asked to close.
      answerPoll(reason != CloseReason.TRANSPORT_CLOSE);
      finishClose();
    } else if (byServer(reason)) {
      // The client's next GETs collect the last packets, then the close packet. Never both in one
      // payload: the client would handle the close first and lose the packets (a DISCONNECT
      // would then read as "transport close", and the client would reconnect).
      if (pendingGet != null) {
        answerPoll(false);
      }
      pingTask = loop.schedule(this::finishClose, CLOSE_DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } else {
      finishClose();
    }
  }

  private static boolean byServer(CloseReason reason) {
    return reason == CloseReason.FORCED_CLOSE || reason == CloseReason.SERVER_SHUTTING_DOWN;
  }

  /**
   * Ends the session at once, without waiting for the client to collect its last packets: the
   * event loops are about to stop. On the session's loop.
   */
  void terminate() {
    probed = false; // no waiting for an upgrade either
    close(CloseReason.SERVER_SHUTTING_DOWN, "server stopped");
    finishClose();
  }

  private void finishClose() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    ended = true;
    cancel(pingTask);
    Outbound next;
    while ((next = queue.poll()) != null) {
      next.packet().release();
    }
    queuedBytes = 0;
    if (pendingGet != null) {
      answerPollWith(EngineCodec.CLOSE);
    }
    if (!closedByClient) {
      registry.remove(this); // else once the close is answered (answerClose)
    }
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "EngineSession[" + id + ", " + transport + ", " + state + "]";
  }

  /** Where sessions are registered by id. */
  interface SessionRegistry {
    void remove(RealEngineSession session);
  }

}
