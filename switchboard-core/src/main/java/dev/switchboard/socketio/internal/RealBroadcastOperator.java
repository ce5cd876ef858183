package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.internal.BroadcastTarget;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.RemoteSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/** An immutable selection of sockets in one namespace, or in every child of a dynamic one. */
final class RealBroadcastOperator implements BroadcastOperator {
  /** Where the operator acts: one namespace, or the children of a parent namespace. */
  interface Scope {
    Iterable<RealNamespace> namespaces();

    ServerContext server();
  }

  /** How long other nodes have to answer a server-side operation when no timeout is given. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final Scope scope;
  private final Set<String> rooms;
  private final Set<String> except;
  private final boolean local;
  private final boolean volatileDelivery;
  private final Duration timeout;
  /** Whether room history may keep the broadcast ({@link #withoutHistory()} says not). */
  private final boolean kept;

  RealBroadcastOperator(RealNamespace nsp, Set<String> rooms, Set<String> except, boolean local, boolean volatileDelivery, Duration timeout) {
    this(new Scope() {
      @Override
      public Iterable<RealNamespace> namespaces() {
        return List.of(nsp);
      }

      @Override
      public ServerContext server() {
        return nsp.server();
      }
    }, rooms, except, local, volatileDelivery, timeout, true);
  }

  RealBroadcastOperator(Scope scope, Set<String> rooms, Set<String> except, boolean local, boolean volatileDelivery,
      Duration timeout, boolean kept) {
    this.scope = scope;
    this.rooms = rooms;
    this.except = except;
    this.local = local;
    this.volatileDelivery = volatileDelivery;
    this.timeout = timeout;
    this.kept = kept;
  }

  private BroadcastTarget target() {
    return new BroadcastTarget(rooms, except, local, volatileDelivery);
  }

  @Override
  public BroadcastOperator to(String... more) {
    return new RealBroadcastOperator(scope, union(rooms, more), except, local, volatileDelivery, timeout, kept);
  }

  @Override
  public BroadcastOperator except(String... more) {
    return new RealBroadcastOperator(scope, rooms, union(except, more), local, volatileDelivery, timeout, kept);
  }

  @Override
  public BroadcastOperator local() {
    return new RealBroadcastOperator(scope, rooms, except, true, volatileDelivery, timeout, kept);
  }

  @Override
  public BroadcastOperator asVolatile() {
    return new RealBroadcastOperator(scope, rooms, except, local, true, timeout, kept);
  }

  @Override
  public BroadcastOperator withoutHistory() {
    return new RealBroadcastOperator(scope, rooms, except, local, volatileDelivery, timeout, false);
  }

  @Override
  public BroadcastOperator timeout(Duration value) {
    return new RealBroadcastOperator(scope, rooms, except, local, volatileDelivery, value, kept);
  }

  @Override
  public void emit(String event, Object... args) {
    SioEncoder.checkEventName(event);
    BroadcastTarget target = target();
    for (RealNamespace nsp : scope.namespaces()) {
      if (kept) {
        nsp.broadcast(event, args, target);
      } else {
        nsp.broadcastUnkept(event, args, target);
      }
    }
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> emitWithPosition(String event, Object... args) {
    if (!kept) {
      emit(event, args);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    SioEncoder.checkEventName(event);
    BroadcastTarget target = target();
    CompletableFuture<Optional<StreamPosition>> first = null;
    for (RealNamespace nsp : scope.namespaces()) {
      CompletableFuture<Optional<StreamPosition>> position = nsp.broadcastWithPosition(event, args, target);
      first = first == null ? position : first;
    }
    return first == null ? CompletableFuture.completedFuture(Optional.empty()) : first;
  }

  @Override
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    SioEncoder.checkEventName(event);
    BroadcastTarget target = target();
    List<RealNamespace> namespaces = new ArrayList<>();
    scope.namespaces().forEach(namespaces::add);
    Duration wait = timeout != null ? timeout : scope.server().options().ackTimeout();
    // Two parts per namespace: this node's sockets, and the other nodes (which may be none).
    AckCollector collector = new AckCollector(2 * namespaces.size(), wait, event);
    otherNodes().publishWithAck(namespaces.stream().map(RealNamespace::name).toList(), event, args, target, wait,
        collector);
    for (RealNamespace nsp : namespaces) {
      nsp.server().meters().sent();
      long ackId = nsp.nextAckId();
      SioEncoder.Encoded packet = nsp.server().encoder().event(nsp.name(), event, args, ackId);
      nsp.adapter().apply(target, socket -> {
        socket.expectAck(ackId, collector::receive);
        collector.onTimeout(() -> socket.client().session().executor().execute(() -> socket.forgetAck(ackId)));
        socket.writeShared(packet, volatileDelivery);
      }).whenComplete((count, error) -> {
        packet.packet().release();
        collector.partDone(count == null ? 0 : count);
      });
    }
    java.util.Optional<java.util.concurrent.Executor> handlers = scope.server().options().handlerExecutor();
    return handlers.isEmpty() ? collector.result() : AckCollector.completingOn(collector.result(), handlers.get());
  }

  /**
   * Completes once the selected sockets of every node are in the rooms and broadcasts to them,
   * published on any node, reach those sockets: a broadcast after the join is not missed.
   */
  @Override
  public CompletableFuture<Integer> socketsJoin(String... toJoin) {
    List<String> list = List.of(toJoin);
    BroadcastTarget target = target();
    List<CompletableFuture<Integer>> parts = new ArrayList<>();
    for (RealNamespace nsp : scope.namespaces()) {
      parts.add(nsp.adapter().apply(target, socket -> socket.join(list))
          .thenCompose(count -> count == 0 ? CompletableFuture.completedFuture(0) : nsp.roomsReady(list).thenApply(ready -> count)));
    }
    return sum(parts).thenCombine(onOtherNodes(ClusterRequest.Type.SOCKETS_JOIN, list, false), RealBroadcastOperator::plusCounted);
  }

  @Override
  public CompletableFuture<Integer> socketsLeave(String... toLeave) {
    return forEachSocket(socket -> {
      for (String room : toLeave) {
        socket.leave(room);
      }
    }).thenCombine(onOtherNodes(ClusterRequest.Type.SOCKETS_LEAVE, List.of(toLeave), false), RealBroadcastOperator::plusCounted);
  }

  @Override
  public CompletableFuture<Integer> disconnectSockets(boolean close) {
    return forEachSocket(socket -> socket.disconnect(close))
        .thenCombine(onOtherNodes(ClusterRequest.Type.DISCONNECT_SOCKETS, List.of(), close), RealBroadcastOperator::plusCounted);
  }

  /** {@code here} plus the sockets each other node counted as it acted on them (its reply's {@code count}). */
  private static int plusCounted(int here, List<NodeReply> replies) {
    int count = here;
    for (NodeReply reply : replies) {
      count += reply.json().path("count").asInt(0);
    }
    return count;
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    ConcurrentLinkedQueue<RemoteSocket> found = new ConcurrentLinkedQueue<>();
    CompletableFuture<Integer> local = forEachSocket(socket -> found.add(new RealRemoteSocket(socket)));
    return local.thenCombine(onOtherNodes(ClusterRequest.Type.FETCH_SOCKETS, List.of(), false), (a, replies) -> {
      List<RemoteSocket> all = new ArrayList<>(found);
      for (NodeReply reply : replies) {
        reply.json().path("sockets").forEach(json -> all.add(SocketSnapshots.fromJson(json, reply.nsp())));
      }
      return List.copyOf(all);
    });
  }

  /** One node's answer to a request about namespace {@code nsp}. */
  private record NodeReply(RealNamespace nsp, JsonNode json) {}

  /** The nodes beside this one that the operation reaches: none when {@code local()}. */
  private OtherNodes otherNodes() {
    return local ? NoOtherNodes.INSTANCE : scope.server().otherNodes();
  }

  /** Runs the operation on the other nodes of the cluster; no replies when local or on a single node. */
  private CompletableFuture<List<NodeReply>> onOtherNodes(ClusterRequest.Type type, List<String> targetRooms, boolean close) {
    OtherNodes others = otherNodes();
    Duration wait = timeout != null ? timeout : REQUEST_TIMEOUT;
    List<CompletableFuture<List<NodeReply>>> parts = new ArrayList<>();
    for (RealNamespace nsp : scope.namespaces()) {
      ClusterRequest request = new ClusterRequest(type, nsp.name(), rooms, except, targetRooms, close);
      parts.add(others.request(request, wait).thenApply(replies -> replies.stream().map(r -> new NodeReply(nsp, r)).toList()));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(v -> parts.stream().flatMap(part -> part.join().stream()).toList());
  }

  /** Applies {@code action} to the selected sockets of this node; completes with how many there were. */
  private CompletableFuture<Integer> forEachSocket(Consumer<RealSocket> action) {
    BroadcastTarget target = target();
    List<CompletableFuture<Integer>> parts = new ArrayList<>();
    for (RealNamespace nsp : scope.namespaces()) {
      parts.add(nsp.adapter().apply(target, action));
    }
    return sum(parts);
  }

  private static CompletableFuture<Integer> sum(List<CompletableFuture<Integer>> parts) {
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(done -> parts.stream().mapToInt(CompletableFuture::join).sum());
  }

  private static Set<String> union(Set<String> current, String[] more) {
    LinkedHashSet<String> next = new LinkedHashSet<>(current);
    next.addAll(Arrays.asList(more));
    return Set.copyOf(next);
  }
}
