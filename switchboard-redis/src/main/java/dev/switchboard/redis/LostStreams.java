package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.Stamp;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history rooms and recovery streams whose last publish from this node Redis may not have
 * kept: the next publish to one tells its script so (which starts it a new epoch), and the mark
 * goes once Redis has answered such a publish.
 */
final class LostStreams {
  private static final Logger log = LoggerFactory.getLogger(LostStreams.class);

  private final Set<String> history = ConcurrentHashMap.newKeySet();
  private final Set<String> recovery = ConcurrentHashMap.newKeySet();

  /**
   * The streams one publish writes (a room's history, a recovery stream: each where kept), and
   * whether each was marked lost when the publish was sent.
   */
  record Marks(Optional<String> room, Optional<String> stream, boolean historyLost, boolean recoveryLost) {}

  /** The marks of a publish about to be sent to {@code room}'s history and the recovery {@code stream}. */
  Marks marks(Optional<String> room, Optional<String> stream) {
    return new Marks(room, stream, room.filter(history::contains).isPresent(),
        stream.filter(recovery::contains).isPresent());
  }

  /** Redis answered the publish sent with {@code marks}: its script has started the lost streams anew. */
  void kept(Marks marks) {
    if (marks.historyLost()) {
      history.remove(marks.room().orElseThrow());
    }
    if (marks.recoveryLost()) {
      recovery.remove(marks.stream().orElseThrow());
    }
  }

  /**
   * Redis did not answer the publish sent with {@code marks} ({@code error}): this node's own copy
   * coming back from a channel is the proof that Redis ran it, and its stamp; without one, the
   * publish's streams are marked lost and the answer is empty.
   */
  Optional<Stamp> unanswered(Marks marks, ClusterBroadcast broadcast, OwnBroadcasts own, long sequence, int part,
      Throwable error) {
    Optional<Stamp> stamp;
    if (RedisConnections.notSent(error)) {
      own.settled(sequence, part);
      stamp = Optional.empty();
    } else {
      stamp = own.giveUp(sequence, part);
    }
    if (stamp.isEmpty()) {
      boolean newLoss = marks.room().filter(history::add).isPresent();
      newLoss |= marks.stream().filter(recovery::add).isPresent();
      if (newLoss) {
        log.debug("a broadcast to {} of {} was not kept: {}", broadcast.rooms(), broadcast.namespace(), error.toString());
      }
    }
    return stamp;
  }
}
