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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room history and connection state recovery in the streams of one Redis server (on a Redis
 * Cluster, {@link ShardedStreams}). A kept broadcast is appended to
 * its room's history and its namespace's recovery stream and published to its channels in one
 * script; every node, the publishing one included, delivers it when it comes back from the
 * channel, so all see the same order; its members get it once even when the script's answer or its
 * copy is lost ({@link OwnBroadcasts}), and while this node's subscriptions are being made again
 * it serves them from the answer. A broadcast that could not be kept (Redis away or hung, too many
 * commands waiting) is remembered: the next one of the same room starts a new history epoch, and
 * the next one of the namespace marks the recovery stream, so no resume across the loss succeeds
 * silently.
 */
final class RedisStreams implements SharedStreams {
  private static final Logger log = LoggerFactory.getLogger(RedisStreams.class);
  /**
   * How long a room's epoch and last offset outlive its messages, so a client that had seen
   * everything continues without a false gap notice.
   */
  static final Duration IDLE_STREAM_RETENTION = Duration.ofHours(1);

  private final String nodeId;
  private final RedisConnections redis;
  private final Keys keys;
  private final RedisAdapter adapter;
  private final OwnBroadcasts own;
  private final LostStreams lost = new LostStreams();
  private final Optional<ConnectedSockets> live;

  RedisStreams(String nodeId, RedisConnections redis, Keys keys, RedisAdapter adapter, Optional<ConnectedSockets> live) {
    this.live = live;
    this.nodeId = nodeId;
    this.redis = redis;
    this.keys = keys;
    this.adapter = adapter;
    this.own = adapter.own();
  }

  @Override
  public CompletableFuture<Stamp> publish(ClusterBroadcast broadcast, Keeping keeping) {
    String room = keeping.history().isPresent() ? broadcast.rooms().get(0) : "";
    LostStreams.Marks marks = lost.marks(keeping.history().map(rule -> room),
        keeping.recoveryWindow().map(window -> broadcast.namespace()));
    long generation = adapter.subscriptionGeneration();
    Set<Integer> notHeard = adapter.notHeard(broadcast, keeping.thisNodeOnly());
    long sequence = own.next();
    List<byte[]> args = scriptArgs(Messages.broadcast(nodeId, broadcast, notHeard, sequence), keeping,
        marks.historyLost(), marks.recoveryLost());
    args.addAll(adapter.channels(broadcast, keeping.thisNodeOnly()));
    byte[] history = keys.history(room);
    byte[] recovery = keys.recovery(broadcast.namespace());
    byte[][] scriptKeys = {history, keys.historyMeta(room), recovery, Keys.entrySizes(history), Keys.entryBytes(history),
        Keys.entrySizes(recovery), Keys.entryBytes(recovery)};
    own.expect(sequence, OwnBroadcasts.WHOLE);
    return redis.sendBeforeDeadline(StreamScripts.PUBLISH, scriptKeys, args).handle((reply, error) -> {
      Stamp stamp;
      if (error == null) {
        stamp = Messages.stamp(broadcast, text(reply.get(0)), text(reply.get(1)), text(reply.get(2)));
        if (adapter.subscriptionGeneration() == generation) {
          own.settled(sequence, OwnBroadcasts.WHOLE);
        } else {
          deliverUnlessHeard(broadcast, keeping, stamp, sequence, notHeard);
        }
      } else {
        Optional<Stamp> proven = lost.unanswered(marks, broadcast, own, sequence, OwnBroadcasts.WHOLE, error);
        if (proven.isEmpty()) {
          redis.health().lostBroadcast();
          throw new CompletionException(error);
        }
        stamp = proven.get();
      }
      lost.kept(marks);
      adapter.deliverHere(broadcast, stamp, notHeard);
      return stamp;
    });
  }

  /**
   * Redis took the broadcast, but this node's subscriptions may have been lost since it was sent:
   * its members get it now unless a copy already came back (then the rest follows).
   */
  private void deliverUnlessHeard(ClusterBroadcast broadcast, Keeping keeping, Stamp stamp, long sequence,
      Set<Integer> notHeard) {
    if (RedisAdapter.carriedWhole(broadcast, keeping.thisNodeOnly())) {
      adapter.deliverUnlessHeard(broadcast, stamp, sequence, OwnBroadcasts.WHOLE, Set.of());
      return;
    }
    Set<Integer> expected = new HashSet<>();
    for (int i = 0; i < broadcast.rooms().size(); i++) {
      if (!notHeard.contains(i)) {
        expected.add(i);
      }
    }
    if (expected.isEmpty()) {
      own.settled(sequence, OwnBroadcasts.WHOLE);
    } else {
      adapter.deliverUnlessHeard(broadcast, stamp, sequence, OwnBroadcasts.WHOLE, expected);
    }
  }

  /**
   * The arguments of {@link StreamScripts#PUBLISH} and {@link StreamScripts#SHARD_PUBLISH} before
   * the channels (and the deadline after them): the message, then how history and recovery keep it.
   */
  static List<byte[]> scriptArgs(byte[] message, Keeping keeping, boolean historyLost, boolean recoveryLost) {
    List<byte[]> args = new ArrayList<>();
    args.add(message);
    HistoryRule rule = keeping.history().orElse(null);
    args.add(flag(rule != null));
    args.add(number(rule == null ? 0 : rule.maxLength()));
    args.add(number(rule == null ? 0 : rule.ttl().toMillis()));
    args.add(number(rule == null ? 0 : metaTtl(rule)));
    args.add(flag(historyLost));
    args.add(Keys.bytes(Epochs.next()));
    args.add(flag(keeping.recoveryWindow().isPresent()));
    args.add(number(keeping.recoveryWindow().map(Duration::toMillis).orElse(0L)));
    args.add(number(ConnectionStateRecovery.MAX_KEPT_PACKETS));
    args.add(flag(recoveryLost));
    args.add(number(rule == null ? 0 : rule.maxBytes()));
    args.add(number(keeping.recoveryMaxBytes()));
    return args;
  }

  @Override
  public RoomHistory history(List<HistoryRule> rules) {
    return new RedisRoomHistory(redis, keys, rules);
  }

  @Override
  public CompletableFuture<Void> persist(String namespace, DisconnectedSocket socket, Duration window) {
    byte[] value = DisconnectedSockets.write(socket, Optional.empty());
    return redis.send(c -> c.set(keys.disconnected(namespace, socket.pid()), value, SetArgs.Builder.px(window.toMillis())))
        .thenApply(ok -> (Void) null);
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
   * it missed from the namespace's stream: every kept broadcast of the namespace is in that one
   * stream, so a live one was read too exactly when its offset is at most the last one read. The
   * script answers nothing rather than more than {@code maxBytes}.
   */
  @Override
  public CompletableFuture<Optional<RecoveredSocket>> restore(String namespace, String pid, String offset,
      long maxBytes, Function<DisconnectedSocket, CompletableFuture<Void>> listening) {
    if (!StreamIds.valid(offset)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return redis.send(c -> c.getdel(keys.disconnected(namespace, pid)))
        .thenCompose(state -> ConnectedSockets.orConnected(state, live, namespace, pid)).thenCompose(kept -> {
      if (kept.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<RecoveredSocket>empty());
      }
      DisconnectedSocket socket = kept.get().socket();
      return listening.apply(socket).thenCompose(ready -> redis.send(c -> c.<List<Object>>eval(StreamScripts.MISSED,
          ScriptOutputType.MULTI, new byte[][] {keys.recovery(namespace)}, Keys.bytes(offset),
          number(ConnectionStateRecovery.MAX_KEPT_PACKETS + 1L), number(maxBytes)))).thenApply(reply -> {
            if (reply.size() < 2) {
              return Optional.<RecoveredSocket>empty();
            }
            try {
              return recovered(socket, text(reply.get(0)), (List<?>) reply.get(1));
            } catch (IOException | RuntimeException e) {
              log.warn("what a socket of {} missed could not be read: {}", namespace, e.toString());
              return Optional.<RecoveredSocket>empty();
            }
          });
    });
  }

  private static Optional<RecoveredSocket> recovered(DisconnectedSocket socket, String lastRead, List<?> entries)
      throws IOException {
    if (entries.size() > ConnectionStateRecovery.MAX_KEPT_PACKETS) {
      return Optional.empty();
    }
    List<RecoveredSocket.Missed> missed = new ArrayList<>();
    for (Object item : entries) {
      StreamEntry entry = StreamEntry.of(item);
      if (entry.field("lost") != null) {
        return Optional.empty();
      }
      ClusterBroadcast broadcast = Messages.broadcast(entry.field("m")).message();
      if (reaches(broadcast, socket.rooms())) {
        missed.add(new RecoveredSocket.Missed(broadcast, entry.id(), entry.position()));
      }
    }
    return Optional.of(new RecoveredSocket(socket, missed, new ReadHorizons(Map.of("", lastRead), delivered -> "")));
  }

  static boolean reaches(ClusterBroadcast broadcast, Set<String> rooms) {
    for (String except : broadcast.except()) {
      if (rooms.contains(except)) {
        return false;
      }
    }
    return broadcast.rooms().isEmpty() || broadcast.rooms().stream().anyMatch(rooms::contains);
  }

  static long metaTtl(HistoryRule rule) {
    return Math.max(rule.ttl().toMillis(), IDLE_STREAM_RETENTION.toMillis());
  }

  static byte[] flag(boolean value) {
    return Keys.bytes(value ? "1" : "0");
  }

  static byte[] number(long value) {
    return Keys.bytes(Long.toString(value));
  }

  static String text(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return value == null ? "" : value.toString();
  }

}
