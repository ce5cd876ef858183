package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.engineio.EngineSession;
import dev.switchboard.engineio.Transport;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.http.internal.LoopFlusher;
import dev.switchboard.http.internal.SlowConsumerCut;
import dev.switchboard.http.internal.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one Engine.IO session. Every method runs on the session's event loop
 * ({@link #executor()}); calls from elsewhere hop onto it. Packets for a polling client wait in its
 * {@link PollingQueue} until a GET takes them; packets for a WebSocket client go straight to the
 * channel, and both are flushed once per event-loop turn by {@link LoopFlusher}. {@link PollRequests},
 * {@link Heartbeat}, {@link Upgrade} and {@link ClientClose} each do one part of its work.
 */
public final class RealEngineSession implements EngineSession, LoopFlusher.Target {
  private static final Logger log = LoggerFactory.getLogger(RealEngineSession.class);
  private static final Listener NO_LISTENER = new Listener() {};
  /** How long a closing polling session waits for the client's next GET to take its last packets. */
  private static final long CLOSE_DRAIN_TIMEOUT_MS = 5_000;

  private static final AtomicIntegerFieldUpdater<RealEngineSession> QUEUED_WRITES =
      AtomicIntegerFieldUpdater.newUpdater(RealEngineSession.class, "queuedWrites");

  /** Open; closing while a polling client collects its last packets; closed. */
  private enum State { OPEN, CLOSING, CLOSED }

  private final String id;
  private final EventLoop loop;
  private final EngineRequest request;
  private final EngineIoOptions options;
  private final SessionRegistry registry;
  private final PollingQueue polling = new PollingQueue();
  private final Heartbeat heartbeat;
  private final Upgrade upgrade;
  private final ClientClose clientClose;
  private final PollRequests polls;
  /** The server's traffic, where a cut of this session as a slow consumer counts. */
  private final Traffic traffic;
  private boolean slowConsumer;
  private Listener listener = NO_LISTENER;
  private State state = State.OPEN;
  /** Also read by the loops that receive this session's requests. */
  private volatile Transport transport;
  /** Set once the session has ended, for the loops that receive its requests. */
  private volatile boolean ended;
  private WebSocketTransport webSocket;
  private boolean flushMarked;
  /** Writes handed to the loop's task queue and not yet run (see {@link #writesNow()}). */
  private volatile int queuedWrites;
  /** Ends a closing polling session whose client does not come for its last packets. */
  private ScheduledFuture<?> drainTask;

  RealEngineSession(String id, EventLoop loop, EngineRequest request, EngineIoOptions options, SessionRegistry registry,
      Traffic traffic) {
    this.id = id;
    this.traffic = traffic;
    this.loop = loop;
    this.request = request;
    this.options = options;
    this.registry = registry;
    this.heartbeat = new Heartbeat(this, loop, options);
    this.upgrade = new Upgrade(this, loop, options, polling);
    this.clientClose = new ClientClose(this, registry);
    this.polls = new PollRequests(this, loop, polling, clientClose);
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

  /** Whether a polling client is collecting its last packets before the session closes. */
  boolean isClosing() {
    return state == State.CLOSING;
  }

  /** Whether the session has ended; safe from any thread. */
  public boolean hasEnded() {
    return ended;
  }

  @Override
  public void listener(Listener listener) {
    this.listener = listener;
  }

  /** Who the session reports to (a Socket.IO client, for one); on the session's loop. */
  public Listener listener() {
    return listener;
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
    close(CloseReason.FORCED_CLOSE, "closed by the server");
  }

  // ---- opening

  /** Starts a session whose handshake came over polling: the open packet answers {@code get}. */
  void openWithPolling(HttpExchange get, Consumer<RealEngineSession> onConnection) {
    transport = Transport.POLLING;
    polling.hold(new LocalPoll(get, options.cors(), System.nanoTime()));
    open(onConnection);
  }

  /** Starts a WebSocket-only session: the open packet is the first frame. */
  void openWithWebSocket(WebSocketTransport ws, Consumer<RealEngineSession> onConnection) {
    transport = Transport.WEBSOCKET;
    webSocket = ws;
    open(onConnection);
  }

  /** Sends the open packet; {@code onConnection} gets the session before its first packet is read. */
  private void open(Consumer<RealEngineSession> onConnection) {
    writeControl(EngineCodec.OPEN, EngineCodec.handshake(id, options.upgradesFrom(transport), options));
    heartbeat.start();
    onConnection.accept(this);
    flushNow();
  }

  // ---- writing

  /**
   * Sends one encoded packet (for text: the type character and data; for binary: the raw bytes),
   * taking ownership of {@code packet}. Callable from any thread; writes keep the order in which
   * they were made (see {@link #writesNow()}).
   */
  public void write(ByteBuf packet, boolean binary) {
    if (writesNow()) {
      writeOnLoop(packet, binary);
    } else if (!later(() -> writeOnLoop(packet, binary))) {
      packet.release();
    }
  }

  /**
   * Sends a message of several packets that must stay together: the packet {@code packet}
   * (binary when {@code binary}; owned by this call), then each of {@code attachments} as a binary
   * packet. Callable from any thread, in order like {@link #write}.
   */
  public void writeMessage(ByteBuf packet, boolean binary, List<byte[]> attachments) {
    if (writesNow()) {
      writeMessageOnLoop(packet, binary, attachments);
    } else if (!later(() -> writeMessageOnLoop(packet, binary, attachments))) {
      packet.release();
    }
  }

  /**
   * Sends a packet shared with other sessions (a broadcast; binary when {@code binary}), given both as the packet itself
   * and as a ready-made WebSocket frame of it, then its {@code attachments}. Over WebSocket the
   * frame's bytes go out as they are, skipping the per-recipient frame object and header encoding;
   * over polling the packet is queued. Neither buffer changes hands: this takes its own references.
   * On the session's loop.
   */
  public void writeShared(ByteBuf packet, boolean binary, SharedFrame webSocketFrame, List<byte[]> attachments) {
    if (writesNow()) {
      writeSharedOnLoop(packet, binary, webSocketFrame, attachments);
      return;
    }
    ByteBuf ownPacket = packet.retainedDuplicate();
    webSocketFrame.retain();
    boolean queued = later(() -> {
      try {
        writeSharedOnLoop(ownPacket, binary, webSocketFrame, attachments);
      } finally {
        ownPacket.release();
        webSocketFrame.release();
      }
    });
    if (!queued) {
      ownPacket.release();
      webSocketFrame.release();
    }
  }

  /**
   * Whether a write made now may go out at once. It may on the session's loop, unless writes
   * from other threads still wait in the loop's task queue: a write made after those (by a thread
   * that knew of them, such as one told that a worker finished emitting) must not overtake them.
   * Once none waits, writes on the loop go straight out again.
   */
  private boolean writesNow() {
    return loop.inEventLoop() && queuedWrites == 0;
  }

  /**
   * Queues {@code writes} on the loop, after every write queued before it; {@code false} when the
   * loop has stopped, taking the session with it (the caller drops what it would have written).
   */
  private boolean later(Runnable writes) {
    QUEUED_WRITES.incrementAndGet(this);
    try {
      loop.execute(() -> {
        QUEUED_WRITES.decrementAndGet(this);
        writes.run();
      });
      return true;
    } catch (RejectedExecutionException stopped) {
      QUEUED_WRITES.decrementAndGet(this);
      return false;
    }
  }

  private void writeMessageOnLoop(ByteBuf packet, boolean binary, List<byte[]> attachments) {
    writeOnLoop(packet, binary);
    writeAttachmentsOnLoop(attachments);
  }

  private void writeAttachmentsOnLoop(List<byte[]> attachments) {
    // Indexed: no iterator per delivery (almost every packet has no attachment).
    for (int i = 0, n = attachments.size(); i < n; i++) {
      writeOnLoop(Unpooled.wrappedBuffer(attachments.get(i)), true);
    }
  }

  private void writeOnLoop(ByteBuf packet, boolean binary) {
    if (state != State.OPEN || slowConsumer) {
      packet.release();
      return;
    }
    if (transport == Transport.WEBSOCKET) {
      webSocket.write(packet, binary);
      markDirty();
      checkWebSocketBudget();
    } else {
      long queued = polling.add(packet, binary);
      if (polling.hasPendingGet()) {
        markDirty();
      }
      if (SlowConsumerCut.over(queued, options.maxBufferedBytes())) {
        cutSlowConsumer("more than " + options.maxBufferedBytes() + " bytes waiting for a poll");
      }
    }
  }

  private void writeSharedOnLoop(ByteBuf packet, boolean binary, SharedFrame webSocketFrame, List<byte[]> attachments) {
    if (transport == Transport.WEBSOCKET && state == State.OPEN && !slowConsumer) {
      webSocket.writeShared(webSocketFrame);
      markDirty();
      checkWebSocketBudget();
    } else {
      writeOnLoop(packet.retainedDuplicate(), binary);
    }
    writeAttachmentsOnLoop(attachments);
  }

  private void checkWebSocketBudget() {
    long pending = webSocket.pendingBytes();
    if (SlowConsumerCut.over(pending, options.maxBufferedBytes())) {
      cutSlowConsumer(pending + " bytes waiting to be sent, more than " + options.maxBufferedBytes());
    }
  }

  /** Stops writing to a client over its outbound budget and closes it (see {@link SlowConsumerCut}). */
  private void cutSlowConsumer(String description) {
    slowConsumer = true;
    SlowConsumerCut.cut(traffic, loop, "session " + id, description, () -> close(CloseReason.SLOW_CONSUMER, description));
  }

  /** Whether a message written now would leave at once (what volatile broadcasts check). */
  public boolean writableNow() {
    return state == State.OPEN
        && (transport == Transport.WEBSOCKET ? webSocket.writable() : polling.hasPendingGet());
  }

  /** Sends a packet of the protocol's own (open, ping), outside the outbound budget. */
  void writeControl(char type, String data) {
    ByteBuf packet = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, type, data);
    if (transport == Transport.WEBSOCKET) {
      webSocket.write(packet, false);
      markDirty();
    } else {
      polling.addControl(packet);
      if (polling.hasPendingGet()) {
        markDirty();
      }
    }
  }

  void markDirty() {
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
    } else if (polling.hasPendingGet() && !polling.isEmpty()) {
      polling.answerPending(false);
    }
  }

  // ---- polling requests

  /** The GETs and POSTs of this session's polling transport; on the session's loop. */
  PollRequests polls() {
    return polls;
  }

  // ---- WebSocket and upgrade

  /** A frame from the session's current WebSocket or its upgrade's probe. */
  void onWebSocketPacket(WebSocketTransport from, EnginePacket packet) {
    if (from == webSocket) {
      onPacket(packet);
    } else if (upgrade.isProbe(from)) {
      upgrade.onPacket(packet);
    }
  }

  /** The WebSocket {@code ws} closed or failed. */
  void onWebSocketClosed(WebSocketTransport ws, boolean error) {
    if (ws == webSocket && state != State.CLOSED) {
      close(error ? CloseReason.TRANSPORT_ERROR : CloseReason.TRANSPORT_CLOSE,
          error ? "websocket error" : "websocket closed");
    } else if (upgrade.isProbe(ws)) {
      upgrade.cancel();
    }
  }

  /** Starts an upgrade: {@code ws} is probed and becomes the transport on {@code 5}. */
  boolean beginUpgrade(WebSocketTransport ws) {
    return state == State.OPEN && transport == Transport.POLLING && upgrade.begin(ws);
  }

  /** Makes {@code ws}, a probe whose upgrade packet came, the session's transport. */
  void upgradeTo(WebSocketTransport ws) {
    webSocket = ws;
    transport = Transport.WEBSOCKET;
    if (polling.hasPendingGet()) {
      // A client pauses polling before it sends the upgrade packet: a poll still waiting was then
      // sent after it, and read first on another loop. Node refuses polls sent after the upgrade.
      polling.takePendingGet().respondError(EngineError.BAD_REQUEST);
    }
    polling.moveTo(webSocket);
    webSocket.flush();
    listener.onUpgrade(this, transport);
  }

  // ---- packets

  /** A packet from the client over its current transport. */
  void onPacket(EnginePacket packet) {
    switch (packet) {
      case EnginePacket.TextMessage message -> listener.onMessage(this, message.text());
      case EnginePacket.BinaryMessage message -> listener.onBinary(this, message.data());
      case EnginePacket.Pong pong -> heartbeat.onPong();
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

  // ---- closing

  /** Ends the session; the single path every kind of ending takes. Callable from any thread. */
  public void close(CloseReason reason, String description) {
    EventLoops.runOn(loop, RealEngineSession::closeOnLoop, this, reason, description);
  }

  private void closeOnLoop(CloseReason reason, String description) {
    if (state != State.OPEN) {
      return;
    }
    if (byServer(reason) && upgrade.probed() && !polling.hasPendingGet()) {
      // The client answered the probe and paused polling: no GET will come to take the last
      // packets, but its upgrade packet will. Close once the upgrade completes (or times out).
      upgrade.closeAfterwards(reason, description);
      return;
    }
    log.debug("session {} closing: {} ({})", id, reason, description);
    heartbeat.stop();
    upgrade.cancel();
    state = State.CLOSING;
    registry.ended(reason);
    try {
      listener.onClose(this, reason, description);
    } catch (RuntimeException e) {
      log.warn("session {}: close listener failed", id, e);
    }
    if (transport == Transport.WEBSOCKET) {
      // As Node does, end with a close frame whatever the reason (a no-op once the peer is gone).
      webSocket.close();
      finishClose();
    } else if (polling.hasPendingGet() && (!byServer(reason) || polling.isEmpty())) {
      // As in Node: a close packet ends the poll, except when the client itself asked to close.
      polling.answerPending(reason != CloseReason.TRANSPORT_CLOSE);
      finishClose();
    } else if (byServer(reason)) {
      // The client's next GETs collect the last packets, then the close packet. Never both in one
      // payload: the client would handle the close first and lose the packets (a DISCONNECT
      // would then read as "transport close", and the client would reconnect).
      if (polling.hasPendingGet()) {
        polling.answerPending(false);
      }
      drainTask = loop.schedule(this::finishClose, CLOSE_DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
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
    upgrade.forgetProbeAnswer(); // no waiting for an upgrade either
    close(CloseReason.SERVER_SHUTTING_DOWN, "server stopped");
    finishClose();
  }

  /** Ends the session for good: what is still queued is dropped, and a waiting poll gets the close packet. */
  void finishClose() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    ended = true;
    heartbeat.stop();
    EventLoops.cancel(drainTask);
    polling.clear();
    if (polling.hasPendingGet()) {
      polling.answerPendingWith(EngineCodec.CLOSE);
    }
    if (!clientClose.asked()) {
      registry.remove(this); // else once the close is answered (ClientClose)
    }
  }

  @Override
  public String toString() {
    return "EngineSession[" + id + ", " + transport + ", " + state + "]";
  }
}
