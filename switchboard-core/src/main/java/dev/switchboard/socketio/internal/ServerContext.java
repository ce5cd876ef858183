package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.Cluster;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.SharedStreams;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.history.HistoryRules;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.history.internal.RetainedBytes;
import java.time.Clock;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.NamespaceMatcher;
import dev.switchboard.socketio.SocketIoOptions;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What every namespace and connection of one Socket.IO server shares. */
public final class ServerContext {
  private final SocketIoOptions options;
  private final ConcurrentHashMap<String, RealNamespace> namespaces = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<RealParentNamespace> parents = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Middleware> everywhere = new CopyOnWriteArrayList<>();

  private final RoomHistory history;
  private final HistoryRules historyRules;
  /** The history kept in this process; null when the cluster shares it. */
  private final InMemoryRoomHistory localHistory;
  /** Null unless the cluster shares history and recovery. */
  private final SharedStreams streams;
  private final EventGate gate;
  /** What history and recovery keep in this process, together. */
  private final RetainedBytes retained;
  private final ListenerCalls listenerCalls;
  /** Null for a single node. */
  private final Cluster cluster;
  private final Delivery delivery;

  public ServerContext(SocketIoOptions options) {
    this(options, null);
  }

  /** A server that is one node of {@code cluster} (null: a single node). */
  public ServerContext(SocketIoOptions options, Cluster cluster) {
    this.options = options;
    this.cluster = cluster;
    this.streams = cluster == null ? null : cluster.streams().orElse(null);
    this.delivery = Delivery.of(cluster);
    this.historyRules = new HistoryRules(options.history());
    this.retained = new RetainedBytes(options.maxRetainedBytes());
    this.localHistory = streams == null ? new InMemoryRoomHistory(options.history(), Clock.systemUTC(), retained) : null;
    this.history = streams == null ? localHistory : streams.history(options.history());
    this.gate = new EventGate(options.limits(), cluster == null ? null : cluster.connections());
    this.listenerCalls = new ListenerCalls(options.slowListenerThreshold());
    if (cluster != null) {
      cluster.adapter().start(new ClusterNode(this));
    }
  }

  /** How event listeners are called, and what is reported when they fail or block. */
  ListenerCalls listenerCalls() {
    return listenerCalls;
  }

  /** The cluster this server is a node of, or null. */
  Cluster cluster() {
    return cluster;
  }

  /** How broadcasts reach their members, chosen at start. */
  Delivery delivery() {
    return delivery;
  }

  /** Where broadcasts and operations go to other nodes, or null on a single node. */
  ClusterAdapter clusterAdapter() {
    return cluster == null ? null : cluster.adapter();
  }

  /** The namespace {@code name} if this node has it, without creating it. */
  RealNamespace existing(String name) {
    return namespaces.get(name);
  }

  EventGate gate() {
    return gate;
  }

  /** Where room messages are kept for resuming and catching up. */
  public RoomHistory history() {
    return history;
  }

  /** The budget over what history and recovery keep in this process. */
  RetainedBytes retained() {
    return retained;
  }

  /** Bytes kept now by this process's room history and recovery logs together. */
  public long retainedBytes() {
    return retained.total();
  }

  /** The history rules in force. */
  HistoryRules historyRules() {
    return historyRules;
  }

  /** The history this process keeps itself, or null when the cluster shares it. */
  InMemoryRoomHistory localHistory() {
    return localHistory;
  }

  /** History and recovery shared by the cluster's nodes, or null when this node keeps its own. */
  SharedStreams streams() {
    return streams;
  }

  public SocketIoOptions options() {
    return options;
  }

  /** A new Engine.IO session becomes a Socket.IO client. */
  public void onConnection(RealEngineSession session) {
    session.listener(new Client(session, this));
  }

  /** The static namespace {@code name}, created on first use. */
  public RealNamespace of(String name) {
    String normalized = name.startsWith("/") ? name : "/" + name;
    return namespaces.computeIfAbsent(normalized, n -> new RealNamespace(n, this, null));
  }

  /** A dynamic namespace family whose children are created when a client asks for a matching name. */
  public RealParentNamespace parent(NamespaceMatcher matcher, String description) {
    RealParentNamespace parent = new RealParentNamespace(matcher, description, this);
    parents.add(parent);
    return parent;
  }

  /** Middlewares run for every namespace, before the namespace's own. */
  public void useEverywhere(Middleware middleware) {
    everywhere.add(middleware);
  }

  List<Middleware> everywhere() {
    return everywhere;
  }

  /** The namespace a CONNECT for {@code name} joins, or null when there is none. */
  RealNamespace namespaceFor(String name, JsonNode auth) {
    RealNamespace existing = namespaces.get(name);
    if (existing != null) {
      return existing;
    }
    for (RealParentNamespace parent : parents) {
      if (parent.matches(name, auth)) {
        return namespaces.computeIfAbsent(name, n -> parent.createChild(n));
      }
    }
    return null;
  }

  public java.util.Collection<RealNamespace> namespaces() {
    return namespaces.values();
  }
}
