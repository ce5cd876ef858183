package dev.switchboard.webrtc;

import dev.switchboard.redis.RedisCluster;
import dev.switchboard.webrtc.internal.InMemoryConsentStore;
import dev.switchboard.webrtc.internal.RedisConsentStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the recording consent of call rooms is kept: this node's memory, or a cluster's Redis so
 * that every node sees the same answers. A room's record lives {@link #RETENTION} after its last
 * change. Implementations are thread-safe.
 */
public interface ConsentStore {
  /** How long a call room's answers are kept after the last change. */
  Duration RETENTION = Duration.ofHours(24);

  /**
   * What a call room's record holds.
   *
   * @param answers each user's answer: true for consent
   * @param recordingBy who started the recording under way; empty when none is
   */
  record Entry(Map<String, Boolean> answers, Optional<String> recordingBy) {
    public Entry {
      answers = Map.copyOf(answers);
      Objects.requireNonNull(recordingBy, "recordingBy");
    }
  }

  /** The record of {@code room}; an empty one when nothing is kept. */
  CompletionStage<Entry> read(String room);

  /** Keeps {@code userId}'s answer in {@code room}. */
  CompletionStage<Void> answer(String room, String userId, boolean consent);

  /** Forgets the answers of {@code userIds} in {@code room}. */
  CompletionStage<Void> forget(String room, Collection<String> userIds);

  /** Marks {@code room} as being recorded, started by {@code userId}. */
  CompletionStage<Void> startRecording(String room, String userId);

  /** Marks {@code room} as no longer recorded. */
  CompletionStage<Void> stopRecording(String room);

  /** A store in this node's memory: for a single node. */
  static ConsentStore inMemory() {
    return new InMemoryConsentStore(RETENTION, Clock.systemUTC());
  }

  /** A store in the cluster's Redis, shared by every node. */
  static ConsentStore redis(RedisCluster cluster) {
    return new RedisConsentStore(cluster, RETENTION);
  }
}
