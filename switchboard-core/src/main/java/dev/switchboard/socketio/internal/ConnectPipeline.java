package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.SocketObserver;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a socket joins a namespace: connection state recovery (from this node's log, or as the
 * {@link Delivery} recovers) or a fresh socket, the middlewares (everywhere, the family's, the namespace's), the
 * per-user connection cap, then the CONNECT answer, the replay of what a recovered socket missed
 * and the connection listeners. Each step runs on the client's loop, but the middlewares and the
 * connection listeners, which run where the socket's handlers run.
 */
final class ConnectPipeline {
  private static final Logger log = LoggerFactory.getLogger(ConnectPipeline.class);

  private final RealNamespace nsp;
  private final String name;
  private final ServerContext server;
  /** The dynamic namespace family this one belongs to; null for a static namespace. */
  private final RealParentNamespace parent;
  /** Null when connection state recovery is off. */
  private final RecoveryLog recovery;
  private final CopyOnWriteArrayList<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();

  ConnectPipeline(RealNamespace nsp, RealParentNamespace parent) {
    this.nsp = nsp;
    this.name = nsp.name();
    this.server = nsp.server();
    this.parent = parent;
    this.recovery = nsp.recovery();
  }

  void use(Middleware middleware) {
    middlewares.add(middleware);
  }

  void onConnection(Consumer<Socket> listener) {
    connectionListeners.add(listener);
  }

  /** Runs the middlewares for a new socket of {@code client}, then connects it or refuses it. */
  void connect(Client client, JsonNode auth) {
    Handshake handshake = handshake(client.session().request(), auth);
    if (recoverable(auth)) {
      server.delivery().recover(this, client, handshake, auth.get("pid").textValue(), auth.get("offset").textValue());
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
  void recoverLocal(Client client, Handshake handshake, String pid, String offset) {
    RecoveryLog.Session session = recovery.take(pid);
    if (session == null) {
      connectUnrecovered(client, handshake);
      return;
    }
    RealSocket socket = new RealSocket(session.sid(), nsp, client, handshake, new RecoveryLog.Restored(session, List.of()));
    client.addSocket(socket);
    socket.recovery().hold();
    RecoveryLog.Missed missed = recovery.missed(session, offset);
    if (missed == null || !socket.recovery().caughtUp(missed.packets(), message -> message.loggedBy(missed.lastSeq()))) {
      socket.recovery().abandon();
      client.removeSocket(socket);
      connectUnrecovered(client, handshake);
      return;
    }
    if (recovery.options().skipMiddlewares()) {
      accept(socket, client);
    } else {
      runMiddleware(socket, client, middlewareChain(), 0);
    }
  }

  /** Connects a fresh socket (new id and session) once the middlewares let it. */
  void connectFresh(Client client, Handshake handshake) {
    RealSocket socket = new RealSocket(SessionIds.next(), nsp, client, handshake,
        recovery == null ? null : SessionIds.next());
    runMiddleware(socket, client, middlewareChain(), 0);
  }

  /** Connects a fresh socket for a client whose session could not be recovered. */
  void connectUnrecovered(Client client, Handshake handshake) {
    server.meters().recovery(false);
    connectFresh(client, handshake);
  }

  /** Runs the middlewares for {@code socket}, then connects it or refuses it. */
  void runMiddlewares(RealSocket socket, Client client) {
    runMiddleware(socket, client, middlewareChain(), 0);
  }

  RealNamespace namespace() {
    return nsp;
  }

  private List<Middleware> middlewareChain() {
    List<Middleware> chain = new ArrayList<>(server.everywhere());
    if (parent != null) {
      chain.addAll(parent.middlewares());
    }
    chain.addAll(middlewares);
    return chain;
  }

  private boolean recoverable(JsonNode auth) {
    if (recovery == null || auth == null) {
      return false;
    }
    JsonNode pid = auth.get("pid");
    JsonNode offset = auth.get("offset");
    return pid != null && pid.isTextual() && offset != null && offset.isTextual();
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
      public void fail(String message) {
        fail(message, null);
      }

      @Override
      public void fail(String message, Object data) {
        if (called.compareAndSet(false, true)) {
          onLoop(client, () -> refuse(socket, client, message, data));
        }
      }
    };
    Middleware middleware = chain.get(index);
    if (socket.handlersOnLoop()) {
      handle(middleware, socket, next);
    } else {
      socket.runHandler(() -> handle(middleware, socket, next));
    }
  }

  private void handle(Middleware middleware, RealSocket socket, Middleware.Next next) {
    try {
      middleware.handle(socket, next);
    } catch (RuntimeException e) {
      log.warn("middleware of namespace {} failed", name, e);
      next.fail(e.getMessage() == null ? "middleware error" : e.getMessage());
    }
  }

  private void refuse(RealSocket socket, Client client, String message, Object data) {
    if (socket.holding()) {
      socket.recovery().abandon();
      client.removeSocket(socket);
    }
    if (client.session().isOpen()) {
      client.writeControl(server.encoder().connectError(name, message, data));
    }
  }

  private void accept(RealSocket socket, Client client) {
    String user = server.gate().limits().maxConnectionsPerUser() > 0 ? socket.limitUser() : null;
    if (user != null) {
      boolean counted = client.countsUser(user);
      if (!client.admitUser(user)) {
        refuseTooMany(socket, client);
        return;
      }
      if (!counted) {
        server.gate().admitOnEveryNode(user, client.session().id()).whenComplete((admitted, error) -> onLoop(client, () -> {
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
    nsp.addSocket(socket);
    socket.markConnected();
    // A broadcast sent to a room the middlewares joined (the user's, say) once the client is
    // connected must reach it from any node: the CONNECT answer waits until this node listens.
    CompletableFuture<Void> listening = nsp.roomsReady(socket.rooms());
    if (listening.isDone()) {
      announce(socket, client);
    } else {
      listening.whenComplete((ready, error) -> onLoop(client, () -> {
        if (socket.connected() && client.session().isOpen()) {
          announce(socket, client);
        }
      }));
    }
  }

  /** The CONNECT answer, what a recovered socket missed, then the connection listeners. */
  private void announce(RealSocket socket, Client client) {
    String reply = socket.pid() == null
        ? "{\"sid\":\"" + socket.id() + "\"}"
        : "{\"sid\":\"" + socket.id() + "\",\"pid\":\"" + socket.pid() + "\"}";
    client.writeControl(server.encoder().connect(name, reply));
    if (socket.recovered()) {
      server.meters().recovery(true);
      socket.recovery().replay();
    }
    SocketObserver observer = server.observer();
    if (observer != null) {
      observer.connected(socket);
    }
    if (socket.handlersOnLoop()) {
      notifyConnection(socket);
    } else {
      socket.runHandler(() -> notifyConnection(socket));
    }
  }

  private void notifyConnection(RealSocket socket) {
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
    return auth != null && auth.isObject() ? Handshake.of(request, auth) : Handshake.of(request);
  }
}
