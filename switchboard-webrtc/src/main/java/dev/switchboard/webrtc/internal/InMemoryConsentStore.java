package dev.switchboard.webrtc.internal;

import dev.switchboard.webrtc.ConsentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ConsentStore#inMemory}: one record per room behind one lock (consent changes are rare);
 * records unchanged for the retention are dropped as later changes come by.
 */
public final class InMemoryConsentStore implements ConsentStore {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private static final class Room {
    final Map<String, Boolean> answers = new HashMap<>();
    String recordingBy;
    Instant changed;
  }

  private final Duration retention;
  private final Clock clock;
  private final Map<String, Room> rooms = new HashMap<>();
  private Instant lastSweep;

  public InMemoryConsentStore(Duration retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  @Override
  public synchronized CompletionStage<Entry> read(String room) {
    Room record = rooms.get(room);
    if (record == null || expired(record, clock.instant())) {
      return CompletableFuture.completedFuture(new Entry(Map.of(), Optional.empty()));
    }
    return CompletableFuture.completedFuture(new Entry(record.answers, Optional.ofNullable(record.recordingBy)));
  }

  @Override
  public synchronized CompletionStage<Void> answer(String room, String userId, boolean consent) {
    change(room).answers.put(userId, consent);
    return DONE;
  }

  @Override
  public synchronized CompletionStage<Void> forget(String room, Collection<String> userIds) {
    change(room).answers.keySet().removeAll(userIds);
    return DONE;
  }

  @Override
  public synchronized CompletionStage<Void> startRecording(String room, String userId) {
    change(room).recordingBy = userId;
    return DONE;
  }

  @Override
  public synchronized CompletionStage<Void> stopRecording(String room) {
    change(room).recordingBy = null;
    return DONE;
  }

  /** The record of {@code room}, created or renewed, stamped now; sweeps expired ones now and then. */
  private Room change(String room) {
    Instant now = clock.instant();
    if (Duration.between(lastSweep, now).compareTo(retention.dividedBy(10)) > 0) {
      rooms.values().removeIf(record -> expired(record, now));
      lastSweep = now;
    }
    Room record = rooms.get(room);
    if (record == null || expired(record, now)) {
      record = new Room();
      rooms.put(room, record);
    }
    record.changed = now;
    return record;
  }

  private boolean expired(Room record, Instant now) {
    return record.changed.plus(retention).isBefore(now);
  }
}
