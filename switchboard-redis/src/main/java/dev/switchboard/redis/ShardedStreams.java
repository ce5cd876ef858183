package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.DisconnectedSocket;
import dev.switchboard.cluster.Keeping;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.cluster.SharedStreams;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.socketio.ConnectionStateRecovery;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room history and connection state recovery on a Redis Cluster, where a script may touch one
 * hash slot only. A kept broadcast is appended and published by one script per channel it goes
 * to ({@link StreamScripts#SHARD_PUBLISH}), on that channel's shard: to a room, in the room's
 * recovery stream (and its history, for a room of the main namespace); to a whole namespace or to
 * private rooms, in the namespace's stream next to the all-nodes channel; to one socket of this
 * node, in this node's stream next to its channel. Each channel's order is its stream's order.
 *
 * <p>Offsets are recovery entry ids, {@code <µs>-<n>} from the clock of the entry's shard. A
 * socket is restored ({@link MissedPackets}) from the entries after its client's offset in every
 * stream that reached it, merged by time.
 */
final class ShardedStreams implements SharedStreams {
  private static final Logger log = LoggerFactory.getLogger(ShardedStreams.class);
  private static final Stamp UNKEPT = new Stamp(Optional.empty(), Optional.empty(), Optional.empty());

  private final String nodeId;
  private final RedisConnections redis;
  private final Keys keys;
  private final RedisAdapter adapter;
  private final OwnBroadcasts own;
  private final LostStreams lost = new LostStreams();
  private final Optional<ConnectedSockets> live;

  ShardedStreams(String nodeId, RedisConnections redis, Keys keys, RedisAdapter adapter, Optional<ConnectedSockets> live) {
    this.live = live;
    this.nodeId = nodeId;
    this.redis = redis;
    this.keys = keys;
    this.adapter = adapter;
    this.own = adapter.own();
  }

  /**
   * What one script keeps and publishes: the recovery stream, the room whose history keeps it (or
   * null), the channel, and the index of the target room it is for (-1 for all of them).
   */
  private record Part(byte[] stream, String historyRoom, byte[] channel, int index) {}

  @Override
  public CompletableFuture<Stamp> publish(ClusterBroadcast broadcast, Keeping keeping) {
    long generation = adapter.subscriptionGeneration();
    Set<Integer> notHeard = adapter.notHeard(broadcast, keeping.thisNodeOnly());
    long sequence = own.next();
    byte[] message = Messages.broadcast(nodeId, broadcast, notHeard, sequence);
    List<Part> parts = parts(broadcast, keeping);
    List<CompletableFuture<Optional<Stamp>>> published = new ArrayList<>();
    for (Part part : parts) {
      boolean expected = part.index() < 0 || !notHeard.contains(part.index());
      published.add(publish(broadcast, keeping, part, message, sequence, expected, generation).handle((stamp, error) -> {
        if (error != null) {
          return Optional.<Stamp>empty();
        }
        if (part.index() >= 0 && notHeard.contains(part.index())) {
          adapter.deliverHere(broadcast, stamp, Set.of(part.index()));
        }
        return Optional.of(stamp);
      }));
    }
    return CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<Optional<Stamp>> stamps = published.stream().map(CompletableFuture::join).toList();
      if (stamps.stream().anyMatch(Optional::isEmpty)) {
        redis.health().lostBroadcast();
      }
      if (stamps.stream().allMatch(Optional::isEmpty)) {
        throw new CompletionException(new IllegalStateException("a broadcast to " + broadcast.rooms() + " was not kept"));
      }
      // Rooms whose script failed reach this node's members at least, as during an outage.
      for (int i = 0; i < parts.size(); i++) {
        if (stamps.get(i).isEmpty() && parts.get(i).index() >= 0) {
          adapter.deliverHere(broadcast, UNKEPT, Set.of(parts.get(i).index()));
        }
      }
      return stamps.stream().flatMap(Optional::stream).findFirst().orElseThrow();
    });
  }

  private List<Part> parts(ClusterBroadcast broadcast, Keeping keeping) {
    if (keeping.thisNodeOnly()) {
      return List.of(new Part(keys.nodeRecovery(nodeId), null, keys.nodeChannel(nodeId), -1));
    }
    if (broadcast.rooms().isEmpty() || broadcast.rooms().stream().anyMatch(Keys::isPrivate)) {
      return List.of(new Part(keys.namespaceRecovery(broadcast.namespace()), null, keys.allChannel(), -1));
    }
    boolean history = keeping.history().isPresent() && broadcast.namespace().equals(Keys.MAIN_NAMESPACE);
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < broadcast.rooms().size(); i++) {
      String room = broadcast.rooms().get(i);
      parts.add(new Part(keys.roomRecovery(broadcast.namespace(), room), history ? room : null,
          keys.roomChannel(broadcast.namespace(), room), i));
    }
    return parts;
  }

  /**
   * Runs one part's script. {@code expected}: whether its copy comes back to this node from the
   * channel (else the caller serves its members); {@code generation}: this node's subscriptions
   * when it was sent ({@link RedisAdapter#subscriptionGeneration}).
   */
  private CompletableFuture<Stamp> publish(ClusterBroadcast broadcast, Keeping keeping, Part part, byte[] message,
      long sequence, boolean expected, long generation) {
    String room = part.historyRoom();
    String stream = Keys.text(part.stream());
    Optional<HistoryRule> rule = room == null ? Optional.empty() : keeping.history();
    LostStreams.Marks marks = lost.marks(Optional.ofNullable(room), keeping.recoveryWindow().map(window -> stream));
    List<byte[]> args = RedisStreams.scriptArgs(message, new Keeping(rule, keeping.recoveryWindow(),
        keeping.thisNodeOnly(), keeping.recoveryMaxBytes()), marks.historyLost(), marks.recoveryLost());
    args.add(part.channel());
    byte[][] scriptKeys = room == null
        ? new byte[][] {part.stream(), Keys.entrySizes(part.stream()), Keys.entryBytes(part.stream())}
        : new byte[][] {part.stream(), Keys.entrySizes(part.stream()), Keys.entryBytes(part.stream()),
            keys.history(room), keys.historyMeta(room), Keys.entrySizes(keys.history(room)),
            Keys.entryBytes(keys.history(room))};
    own.expect(sequence, part.index());
    return redis.sendBeforeDeadline(StreamScripts.SHARD_PUBLISH, scriptKeys, args).handle((reply, error) -> {
      Stamp stamp;
      if (error == null) {
        stamp = Messages.stamp(broadcast, RedisStreams.text(reply.get(0)), RedisStreams.text(reply.get(1)),
            RedisStreams.text(reply.get(2)));
        if (!expected || adapter.subscriptionGeneration() == generation) {
          own.settled(sequence, part.index());
        } else {
          // Its channel's subscription may have been lost since it was sent.
          adapter.deliverUnlessHeard(broadcast, stamp, sequence, part.index(),
              part.index() < 0 ? Set.of() : Set.of(part.index()));
        }
      } else {
        stamp = lost.unanswered(marks, broadcast, own, sequence, part.index(), error)
            .orElseThrow(() -> new CompletionException(error));
      }
      lost.kept(marks);
      return stamp;
    });
  }

  @Override
  public RoomHistory history(List<HistoryRule> rules) {
    return new RedisRoomHistory(redis, keys, rules);
  }

  @Override
  public CompletableFuture<Void> persist(String namespace, DisconnectedSocket socket, Duration window) {
    byte[] value = DisconnectedSockets.write(socket, Optional.of(nodeId));
    return redis.send(c -> c.set(keys.disconnectedSocket(namespace, socket.pid()), value,
        SetArgs.Builder.px(window.toMillis()))).thenApply(ok -> (Void) null);
  }

  @Override
  public void connected(String namespace, String pid, Supplier<DisconnectedSocket> state, Duration window) {
    live.ifPresent(sockets -> sockets.changed(namespace, pid, state, window));
  }

  @Override
  public void disconnected(String namespace, String pid) {
    live.ifPresent(sockets -> sockets.gone(namespace, pid));
  }

  /**
   * Takes the socket (it is recovered at most once), waits for {@code listening}, then reads what
   * it missed from every stream that reached it, each up to its last entry then.
   */
  @Override
  public CompletableFuture<Optional<RecoveredSocket>> restore(String namespace, String pid, String offset,
      long maxBytes, Function<DisconnectedSocket, CompletableFuture<Void>> listening) {
    if (!StreamIds.valid(offset)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return redis.send(c -> c.getdel(keys.disconnectedSocket(namespace, pid)))
        .thenCompose(state -> ConnectedSockets.orConnected(state, live, namespace, pid)).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<RecoveredSocket>empty());
      }
      DisconnectedSockets.Kept kept = found.get();
      return listening.apply(kept.socket()).thenCompose(ready -> missed(namespace, kept, offset, maxBytes));
    });
  }

  /**
   * Reads the streams that reached the socket one after the other, each within the bytes the
   * ones before left, so that a recovery never brings more than {@code maxBytes} of packets here;
   * once one read fails the recovery, the rest are not read.
   */
  private CompletableFuture<Optional<RecoveredSocket>> missed(String namespace, DisconnectedSockets.Kept kept,
      String offset, long maxBytes) {
    MissedPackets missed = new MissedPackets(kept.socket(), ConnectionStateRecovery.MAX_KEPT_PACKETS, maxBytes);
    List<LongFunction<CompletableFuture<Void>>> reads = new ArrayList<>();
    for (String room : kept.socket().rooms()) {
      if (!Keys.isPrivate(room)) {
        reads.add(left -> read(keys.roomRecovery(namespace, room), offset, left).thenAccept(read -> missed.add(room, read)));
      }
    }
    reads.add(left -> read(keys.namespaceRecovery(namespace), offset, left).thenAccept(read -> missed.add(null, read)));
    kept.node().ifPresent(node ->
        reads.add(left -> read(keys.nodeRecovery(node), offset, left).thenAccept(missed::addFromNode)));
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    for (LongFunction<CompletableFuture<Void>> read : reads) {
      done = done.thenCompose(previous -> missed.failed()
          ? CompletableFuture.<Void>completedFuture(null) : read.apply(missed.bytesLeft()));
    }
    return done.thenApply(all -> missed.recovered());
  }

  /**
   * The entries of {@code stream} after {@code offset} and its last id; null when some of them were
   * deleted or they hold more than {@code maxBytes}.
   */
  private CompletableFuture<MissedPackets.Read> read(byte[] stream, String offset, long maxBytes) {
    return redis.send(c -> c.<List<Object>>eval(StreamScripts.SHARD_SINCE, ScriptOutputType.MULTI,
        new byte[][] {stream}, Keys.bytes(offset), RedisStreams.number(ConnectionStateRecovery.MAX_KEPT_PACKETS + 1L),
        RedisStreams.number(maxBytes)))
        .thenApply(reply -> ((Long) reply.get(0)) == 1
            ? new MissedPackets.Read((List<?>) reply.get(1), RedisStreams.text(reply.get(2))) : null);
  }
}
