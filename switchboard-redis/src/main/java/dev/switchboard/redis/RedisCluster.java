package dev.switchboard.redis;

import dev.switchboard.cluster.Cluster;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ConnectionCounter;
import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.cluster.RoomOccupancy;
import dev.switchboard.cluster.SharedStreams;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.http.internal.Meters;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A server's membership in a cluster of nodes sharing one Redis (a server or a Redis Cluster):
 * broadcasts and server-side operations over pub/sub, polling requests forwarded to the node that
 * owns their session, room history and recovery in streams (with each connected socket's state,
 * so that its client recovers on another node after this one was killed: {@link RedisOptions#liveSessions()}),
 * presence and per-user connection counts in keys that each live node refreshes. Give it to
 * {@code SocketIoServer.create(options, cluster)}; close it after the server.
 *
 * <p>On the {@link RedisWire.SocketIo} wire ({@link RedisOptions#wire()}) broadcasts and
 * server-side operations travel in the format of the Node Socket.IO Redis adapter instead, so that
 * Node nodes and the Redis emitter share the cluster; on {@link RedisWire.SocketIoSharded}, in that
 * of its sharded adapter, with Node nodes using it. History and recovery then stay per node.
 *
 * <pre>{@code
 * RedisCluster cluster = RedisCluster.connect(RedisOptions.of("redis://localhost:6379"));
 * SocketIoServer io = SocketIoServer.create(options, cluster);
 * }</pre>
 */
public final class RedisCluster implements Cluster {
  private static final byte[] CLAIMED = {'1'};

  private final String nodeId;
  private final RedisOptions options;
  private final RedisConnections redis;
  private final Keys keys;
  private final NodeHeartbeat heartbeat;
  private final RedisAdapter adapter;
  /** The adapter other nodes hear: this server's own, or the Node adapter's format. */
  private final ClusterAdapter wireAdapter;
  private final Optional<SocketIoWireAdapter> socketIo;
  private final RedisConnectionCounter connections;
  private final SharedStreams streams;
  private final Optional<ConnectedSockets> live;
  private final RedisPollingRelay polling;
  private final ApplicationChannels channels;
  private final ConcurrentHashMap<String, RedisPresenceStore> presence = new ConcurrentHashMap<>();
  private volatile Meters meters = Meters.NONE;
  private final RedisRoomOccupancy occupancy;

  private RedisCluster(RedisOptions options) {
    this.nodeId = UUID.randomUUID().toString();
    this.options = options;
    this.redis = RedisConnections.open(options);
    this.keys = new Keys(options.keyPrefix());
    this.heartbeat = new NodeHeartbeat(redis, keys, nodeId, options.entryTtl());
    this.adapter = new RedisAdapter(nodeId, redis, keys, heartbeat);
    this.socketIo = switch (options.wire()) {
      case RedisWire.Switchboard switchboard -> Optional.empty();
      case RedisWire.SocketIo wire -> {
        if (redis.sharded()) {
          redis.close();
          throw new IllegalArgumentException("the socketio wire needs one Redis server, not a Redis Cluster");
        }
        yield Optional.of(new SocketIoAdapter(redis, wire.key()));
      }
      case RedisWire.SocketIoSharded wire -> Optional.of(new ShardedSocketIoAdapter(redis, redis.shardChannels(), wire));
    };
    this.wireAdapter = socketIo.<ClusterAdapter>map(wire -> wire).orElse(adapter);
    this.connections = new RedisConnectionCounter(redis, keys, options.entryTtl());
    this.live = options.liveSessions() ? Optional.of(new ConnectedSockets(nodeId, redis, keys, options.entryTtl())) : Optional.empty();
    this.streams = redis.sharded() ? new ShardedStreams(nodeId, redis, keys, adapter, live)
        : new RedisStreams(nodeId, redis, keys, adapter, live);
    this.polling = new RedisPollingRelay(redis, keys);
    this.channels = new ApplicationChannels(redis);
    this.occupancy = new RedisRoomOccupancy(nodeId, redis, keys, options.entryTtl());
    // Counted from the moment connect returns: a node asking the cluster for answers waits for as
    // many as there are live entries, and one that cannot see this node yet would not wait for it.
    try {
      heartbeat.beat().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      redis.close();
      throw new IllegalStateException("interrupted while joining the cluster", e);
    } catch (ExecutionException | TimeoutException e) {
      redis.close();
      throw new IllegalStateException("cannot join the cluster: Redis did not record this node ("
          + (e.getCause() == null ? e : e.getCause()) + ")", e);
    }
    redis.every(options.refreshInterval(), this::refresh);
    redis.onReconnect(this::refresh);
  }

  /** Connects to Redis; fails with {@link IllegalStateException} when it cannot be reached now. */
  public static RedisCluster connect(RedisOptions options) {
    return new RedisCluster(options);
  }

  /** This node's id, unique in the cluster. */
  public String nodeId() {
    return nodeId;
  }

  /** Errors, outages and dropped messages seen so far. */
  public RedisHealth health() {
    return redis.health();
  }

  /**
   * Switchboard's own adapter, or, on the {@link RedisWire.SocketIo} and
   * {@link RedisWire.SocketIoSharded} wires, that of the Node Redis adapter's format (see {@link RedisWire}).
   */
  @Override
  public ClusterAdapter adapter() {
    return wireAdapter;
  }

  @Override
  public PresenceStore presence(String namespace) {
    return presence.computeIfAbsent(namespace, ns -> new RedisPresenceStore(ns, redis, keys, options.entryTtl(), options.handOverHold()));
  }

  @Override
  public ConnectionCounter connections() {
    return connections;
  }

  /**
   * Room occupancy in Redis: each room a sorted set of the nodes with members in it, entered and
   * left by atomic scripts, with the rooms of a node that stopped vacated by the sweep of a live one.
   */
  @Override
  public RoomOccupancy occupancy() {
    return occupancy;
  }

  /**
   * The hash {@code name} (under this cluster's key prefix) that every node shares, expiring
   * {@code ttl} after its last change: small state of features built on the cluster.
   */
  public SharedHash hash(String name, Duration ttl) {
    return new SharedHash(redis, options.keyPrefix() + "h:{" + name + "}", ttl);
  }

  /**
   * Claims {@code id} in the whole cluster for {@code window}: completes with true for the first
   * claim within the window, on any node, and false for a repeat; fails when Redis cannot answer.
   * One key per id, set only if absent and expiring with the window (on a Redis Cluster too).
   */
  public CompletableFuture<Boolean> claim(String id, Duration window) {
    return redis.send(c -> c.set(keys.claimed(id), CLAIMED, SetArgs.Builder.nx().px(window.toMillis())))
        .thenApply("OK"::equals);
  }

  /** Releases a {@link #claim} of {@code id}, so that the next claim of it is the first again. */
  public CompletableFuture<Void> release(String id) {
    return redis.send(c -> c.del(keys.claimed(id))).thenApply(deleted -> null);
  }

  /**
   * Sets the key {@code name} (under this cluster's key prefix) to {@code value}, expiring after
   * {@code ttl}: a token every node must accept, such as a login session.
   */
  public CompletableFuture<Void> putExpiring(String name, String value, Duration ttl) {
    return redis.send(c -> c.set(bytes(options.keyPrefix() + name), bytes(value), SetArgs.Builder.px(ttl.toMillis())))
        .thenApply(ok -> null);
  }

  /** Whether the key {@code name} (under this cluster's key prefix) exists now, set by any node. */
  public CompletableFuture<Boolean> exists(String name) {
    return redis.send(c -> c.exists(bytes(options.keyPrefix() + name))).thenApply(count -> count != null && count > 0);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Subscribes this node to {@code channel}, a Redis channel other programs publish to with a plain
   * {@code PUBLISH} (on a Redis Cluster too): {@code listener} gets each message's bytes, on a Redis
   * I/O thread, so it must not block. The subscription is made again after every reconnection
   * (messages published while Redis is away are lost) and ends when the cluster closes. Completes
   * once Redis confirmed it.
   */
  public CompletableFuture<Void> subscribe(String channel, Consumer<byte[]> listener) {
    return channels.subscribe(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Room history and connection state recovery in Redis streams, so clients resume on any node:
   * on a Redis Cluster, streams per room, per namespace and per node, each on its channel's shard.
   * None on the wires of the Node adapters: there each node keeps them itself.
   */
  @Override
  public Optional<SharedStreams> streams() {
    // Node nodes know no streams: on their wire each node keeps history and recovery itself.
    return socketIo.isPresent() ? Optional.empty() : Optional.of(streams);
  }

  /** Polling requests that reach a node other than their session's are forwarded to it over pub/sub. */
  @Override
  public Optional<PollingRelay> pollingRelay() {
    return Optional.of(polling);
  }

  /** Heartbeat, this node's entries, then the sweep of expired ones; on the timer thread. */
  private void refresh() {
    heartbeat.beat();
    live.ifPresent(ConnectedSockets::heartbeat);
    connections.refresh();
    presence.values().forEach(store -> {
      store.refresh();
      store.sweep();
    });
    occupancy.refresh();
    occupancy.sweep();
  }

  /** Registers this node's Redis meters (see {@link RedisHealth}); they leave the registry when the cluster closes. */
  @Override
  public void bindTo(MeterRegistry registry) {
    Meters bound = Meters.of(Optional.of(registry));
    redis.health().bind(bound);
    meters = bound;
  }

  @Override
  public void close() {
    meters.close();
    heartbeat.stop();
    live.ifPresent(ConnectedSockets::stop);
    socketIo.ifPresent(SocketIoWireAdapter::close);
    channels.close();
    redis.close();
  }
}
