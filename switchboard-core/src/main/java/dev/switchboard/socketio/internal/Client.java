package dev.switchboard.socketio.internal;

import dev.switchboard.engineio.Transport;
import dev.switchboard.socketio.SocketObserver;
import dev.switchboard.http.internal.PayloadException;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineSession;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.socketio.DisconnectReason;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO connection seen by Socket.IO: decodes its messages into packets and routes them
 * to the sockets it holds, one per namespace. Loop-confined.
 */
public final class Client implements EngineSession.Listener {
  private static final Logger log = LoggerFactory.getLogger(Client.class);

  private final RealEngineSession session;
  private final ServerContext server;
  private final SioDecoder decoder;
  /** Sockets by namespace name; sized for the usual one or two namespaces. */
  private final HashMap<String, RealSocket> sockets = new HashMap<>(2);
  private ScheduledFuture<?> connectTimeout;
  /** Users this connection is counted for, created with the first one; loop-confined. */
  private java.util.Set<String> countedUsers;

  Client(RealEngineSession session, ServerContext server) {
    this.session = session;
    this.server = server;
    this.decoder = SioDecoder.of(server.options().parser(), server.options().maxAttachments());
    this.connectTimeout = session.executor().schedule(() -> {
      if (sockets.isEmpty()) {
        log.debug("connection {} joined no namespace in time", session.id());
        session.close(CloseReason.FORCED_CLOSE, "no namespace joined within connectTimeout");
      }
    }, server.options().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  ServerContext server() {
    return server;
  }

  RealEngineSession session() {
    return session;
  }

  // ---- inbound

  @Override
  public void onMessage(EngineSession s, String text) {
    SioPacket packet;
    try {
      packet = decoder.decodeText(text);
    } catch (PayloadException e) {
      onParseError(e);
      return;
    }
    if (packet != null) {
      route(packet);
    }
  }

  @Override
  public void onBinary(EngineSession s, byte[] data) {
    SioPacket packet;
    try {
      packet = decoder.decodeBinary(data);
    } catch (PayloadException e) {
      onParseError(e);
      return;
    }
    if (packet != null) {
      route(packet);
    }
  }

  private void onParseError(PayloadException e) {
    log.debug("connection {}: invalid packet: {}", session.id(), e.getMessage());
    session.close(CloseReason.PARSE_ERROR, e.getMessage());
  }

  private void route(SioPacket packet) {
    if (packet instanceof SioPacket.Connect connect) {
      connect(connect);
      return;
    }
    RealSocket socket = sockets.get(packet.nsp());
    if (socket == null) {
      log.debug("connection {}: packet for unjoined namespace {}", session.id(), packet.nsp());
      return;
    }
    switch (packet) {
      case SioPacket.Event event -> socket.onEvent(event);
      case SioPacket.Ack ack -> socket.onAck(ack);
      case SioPacket.Disconnect d -> socket.onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, "client left the namespace");
      case SioPacket.ConnectError e -> onParseError(new SioProtocolException("a client may not send CONNECT_ERROR"));
      case SioPacket.Connect c -> { }
    }
  }

  private void connect(SioPacket.Connect connect) {
    if (sockets.containsKey(connect.nsp())) {
      log.debug("connection {}: already in namespace {}", session.id(), connect.nsp());
      return;
    }
    RealNamespace nsp = server.namespaceFor(connect.nsp(), connect.auth());
    if (nsp == null) {
      writeControl(server.encoder().connectError(connect.nsp(), "Invalid namespace", null));
      return;
    }
    nsp.connect(this, connect.auth());
  }

  // ---- sockets

  void addSocket(RealSocket socket) {
    sockets.put(socket.realNamespace().name(), socket);
    if (connectTimeout != null) {
      connectTimeout.cancel(false);
      connectTimeout = null;
    }
  }

  void removeSocket(RealSocket socket) {
    sockets.remove(socket.realNamespace().name(), socket);
  }

  /** Disconnects every socket of this connection and closes it (Node's {@code disconnect(true)}). */
  void disconnectAll() {
    disconnectAll(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, "disconnected by the server");
  }

  /** Tells every socket of this connection to leave, with {@code reason}, then closes the connection. */
  void disconnectAll(DisconnectReason reason, String description) {
    for (RealSocket socket : new ArrayList<>(sockets.values())) {
      writeControl(server.encoder().disconnect(socket.realNamespace().name()));
      socket.onClose(reason, description);
    }
    session.close(CloseReason.FORCED_CLOSE, description);
  }

  /** Acknowledgements in flight on this connection's sockets, either way. */
  int acksInFlight() {
    int inFlight = 0;
    for (RealSocket socket : sockets.values()) {
      inFlight += socket.acks().inFlight();
    }
    return inFlight;
  }

  /**
   * Keeps this connection's connected sockets where any node can take them back, as the server
   * drains and is about to close the connection; completes once they are kept.
   */
  CompletableFuture<Void> keepForRecovery() {
    List<CompletableFuture<Void>> kept = new ArrayList<>();
    for (RealSocket socket : sockets.values()) {
      RealNamespace nsp = socket.realNamespace();
      if (socket.connected() && nsp.recovery() != null) {
        kept.add(server.delivery().persistForShutdown(nsp, List.of(socket)));
      }
    }
    return CompletableFuture.allOf(kept.toArray(CompletableFuture<?>[]::new));
  }

  /** Counts this connection for {@code userId} (per-user connection cap); false when over the cap. */
  boolean admitUser(String userId) {
    if (countedUsers != null && countedUsers.contains(userId)) {
      return true;
    }
    if (!server.gate().admit(userId, session.id())) {
      return false;
    }
    if (countedUsers == null) {
      countedUsers = new java.util.HashSet<>(2);
    }
    countedUsers.add(userId);
    return true;
  }

  /** Whether this connection is already counted for {@code userId}. */
  boolean countsUser(String userId) {
    return countedUsers != null && countedUsers.contains(userId);
  }

  /** Stops counting this connection for {@code userId} (the cluster refused it). */
  void forgetUser(String userId) {
    if (countedUsers != null && countedUsers.remove(userId)) {
      server.gate().release(userId, session.id());
    }
  }

  @Override
  public void onUpgrade(EngineSession s, Transport transport) {
    SocketObserver observer = server.observer();
    if (observer != null) {
      for (RealSocket socket : new ArrayList<>(sockets.values())) {
        observer.upgraded(socket, transport);
      }
    }
  }

  @Override
  public void onClose(EngineSession s, CloseReason reason, String description) {
    if (connectTimeout != null) {
      connectTimeout.cancel(false);
    }
    DisconnectReason disconnectReason = DisconnectReason.of(reason);
    for (RealSocket socket : new ArrayList<>(sockets.values())) {
      socket.onClose(disconnectReason, description);
    }
    sockets.clear();
    if (countedUsers != null) {
      for (String user : countedUsers) {
        server.gate().release(user, session.id());
      }
      countedUsers.clear();
    }
  }

  // ---- outbound

  /**
   * Writes a packet owned by this call: its text, then its attachments, with no other packet
   * between them. Callable from any thread.
   */
  void write(SioEncoder.Encoded packet) {
    session.writeMessage(packet.packet(), packet.binary(), packet.attachments());
  }

  /** Writes a packet of the protocol (CONNECT answer, DISCONNECT...), owned by this call. */
  void writeControl(SioEncoder.Encoded packet) {
    session.write(packet.packet(), packet.binary());
  }
}
