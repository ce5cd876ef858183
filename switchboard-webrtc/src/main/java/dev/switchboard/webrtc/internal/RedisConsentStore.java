package dev.switchboard.webrtc.internal;

import dev.switchboard.redis.RedisCluster;
import dev.switchboard.redis.SharedHash;
import dev.switchboard.webrtc.ConsentStore;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link ConsentStore#redis}: one shared hash per call room, its fields {@code a:<user>} holding
 * {@code 1} or {@code 0} and {@code recording} the user who started the recording.
 */
public final class RedisConsentStore implements ConsentStore {
  private static final String ANSWER = "a:";
  private static final String RECORDING = "recording";

  private final RedisCluster cluster;
  private final Duration retention;

  public RedisConsentStore(RedisCluster cluster, Duration retention) {
    this.cluster = cluster;
    this.retention = retention;
  }

  @Override
  public CompletionStage<Entry> read(String room) {
    return hash(room).entries().thenApply(fields -> {
      Map<String, Boolean> answers = new LinkedHashMap<>();
      fields.forEach((field, value) -> {
        if (field.startsWith(ANSWER)) {
          answers.put(field.substring(ANSWER.length()), value.equals("1"));
        }
      });
      return new Entry(answers, Optional.ofNullable(fields.get(RECORDING)));
    });
  }

  @Override
  public CompletionStage<Void> answer(String room, String userId, boolean consent) {
    return hash(room).put(ANSWER + userId, consent ? "1" : "0");
  }

  @Override
  public CompletionStage<Void> forget(String room, Collection<String> userIds) {
    return hash(room).remove(userIds.stream().map(user -> ANSWER + user).toArray(String[]::new));
  }

  @Override
  public CompletionStage<Void> startRecording(String room, String userId) {
    return hash(room).put(RECORDING, userId);
  }

  @Override
  public CompletionStage<Void> stopRecording(String room) {
    return hash(room).remove(RECORDING);
  }

  private SharedHash hash(String room) {
    return cluster.hash("consent:" + room, retention);
  }
}
