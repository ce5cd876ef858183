package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.SocketObserver;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.Cluster;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.http.internal.Meters;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.NamespaceMatcher;
import dev.switchboard.socketio.SocketIoOptions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What every namespace and connection of one Socket.IO server shares. */
public final class ServerContext {
  private final SocketIoOptions options;
  private final SioEncoder encoder;
  private final ConcurrentHashMap<String, RealNamespace> namespaces = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<RealParentNamespace> parents = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Middleware> everywhere = new CopyOnWriteArrayList<>();

  /** What history and recovery keep in this process, together. */
  private final RetainedBytes retained;
  private final ListenerCalls listenerCalls;
  private final EventGate gate;
  /** How broadcasts reach their members, and where history and recovery are kept: chosen at start. */
  private final Delivery delivery;
  /** The other nodes, for everything beside plain broadcasts: chosen at start with the delivery. */
  private final OtherNodes otherNodes;
  private final SocketIoMeters meters;
  /** Which rooms have members anywhere, for the namespaces that listen. */
  private final OccupancyTracker occupancy;
  private final SocketObservers observers = new SocketObservers();

  /** A server that is one node of {@code cluster}, or a single node when it is empty. */
  public ServerContext(SocketIoOptions options, Optional<Cluster> cluster) {
    this.options = options;
    this.encoder = SioEncoder.of(options.parser());
    this.meters = new SocketIoMeters(Meters.of(options.meterRegistry()));
    meters.bind();
    this.retained = new RetainedBytes(options.maxRetainedBytes());
    this.delivery = Delivery.of(cluster, options, retained);
    this.otherNodes = OtherNodes.of(cluster);
    this.occupancy = new OccupancyTracker(otherNodes.occupancy());
    this.gate = new EventGate(options.limits(), otherNodes.connections());
    // Off the loop, a handler that blocks is what the handler executor is for: nothing to report.
    this.listenerCalls = new ListenerCalls(options.handlerExecutor().isPresent()
        ? java.time.Duration.ZERO : options.slowListenerThreshold());
    otherNodes.start(new ClusterNode(this));
  }

  /** What the server counts, and its meters. */
  public SocketIoMeters meters() {
    return meters;
  }

  /** The observer of every socket's events, or null while none is registered (the usual case). */
  SocketObserver observer() {
    return observers.current();
  }

  /** Registers {@code observer} of every socket's events; running the answer removes it. */
  public Runnable observe(SocketObserver observer) {
    return observers.add(observer);
  }

  /** How event listeners are called, and what is reported when they fail or block. */
  ListenerCalls listenerCalls() {
    return listenerCalls;
  }

  /** How broadcasts reach their members, chosen at start. */
  Delivery delivery() {
    return delivery;
  }

  /** The other nodes of the cluster (none on a single node), chosen at start. */
  OtherNodes otherNodes() {
    return otherNodes;
  }

  /** Follows room occupancy for the namespaces that listen to it. */
  OccupancyTracker occupancy() {
    return occupancy;
  }

  /**
   * Completes once the room occupancy and presence changes of everything that happened so far are
   * decided and handed to their listeners.
   */
  public java.util.concurrent.CompletableFuture<Void> settled() {
    java.util.List<java.util.concurrent.CompletableFuture<Void>> all = new java.util.ArrayList<>();
    all.add(occupancy.settled());
    namespaces.values().forEach(nsp -> all.add(nsp.presence().settled()));
    return java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new));
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
    return delivery.history();
  }

  /** The budget over what history and recovery keep in this process. */
  RetainedBytes retained() {
    return retained;
  }

  /** Bytes kept now by this process's room history and recovery logs together. */
  public long retainedBytes() {
    return retained.total();
  }

  /** The encoder of the server's parser. */
  public SioEncoder encoder() {
    return encoder;
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
