package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.NamespaceMatcher;
import dev.switchboard.socketio.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A dynamic namespace family (Node's {@code io.of(/regex/)}): children are created when a client
 * connects to a matching name and inherit these middlewares and listeners. Broadcasts reach
 * every child.
 */
public final class RealParentNamespace extends NamespaceBroadcasts implements Namespace, RealBroadcastOperator.Scope {
  private final NamespaceMatcher matcher;
  private final String description;
  private final ServerContext server;
  private final CopyOnWriteArrayList<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<RealNamespace> children = new CopyOnWriteArrayList<>();

  RealParentNamespace(NamespaceMatcher matcher, String description, ServerContext server) {
    this.matcher = matcher;
    this.description = description;
    this.server = server;
  }

  boolean matches(String name, JsonNode auth) {
    return matcher.matches(name, auth);
  }

  RealNamespace createChild(String name) {
    RealNamespace child = new RealNamespace(name, server, this);
    children.add(child);
    return child;
  }

  List<Middleware> middlewares() {
    return middlewares;
  }

  List<Consumer<Socket>> connectionListeners() {
    return connectionListeners;
  }

  @Override
  public Iterable<RealNamespace> namespaces() {
    return children;
  }

  @Override
  public ServerContext server() {
    return server;
  }

  @Override
  public String name() {
    return description;
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
    Map<String, Socket> all = new HashMap<>();
    for (RealNamespace child : children) {
      all.putAll(child.sockets());
    }
    return Map.copyOf(all);
  }

  @Override
  BroadcastOperator all() {
    return new RealBroadcastOperator(this, Set.of(), Set.of(), false, false, null, true);
  }

  @Override
  public String toString() {
    return "ParentNamespace[" + description + "]";
  }
}
