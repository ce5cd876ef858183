package dev.switchboard.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link SocketIoServer#drain(DrainOptions)} takes a server out of service before it stops.
 *
 * @param window the time over which connected clients are disconnected, each at its own turn (the
 *     turns spread evenly over it, in random order), so that they do not all reconnect to the
 *     other servers at once; zero disconnects them all at once
 * @param timeout the longest the whole drain takes: connections and streams still open then are
 *     closed at once, and the participants are no longer waited for; a window longer than the
 *     timeout is cut short by it
 * @param ackWait how long a client, at its turn, may wait for the acknowledgements in flight on its
 *     connection (events it sent that the server has not acknowledged yet, emits waiting for its
 *     acknowledgement) before its connection closes anyway
 * @param sseRetry the reconnection delay hinted ({@code retry:}) to each SSE stream as it ends,
 *     moved at random by up to half
 * @param participants work the drain waits for once every connection is gone (flushing queued
 *     webhooks, for one), in parallel
 */
public record DrainOptions(Duration window, Duration timeout, Duration ackWait, Duration sseRetry,
    List<DrainParticipant> participants) {
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SSE_RETRY = Duration.ofSeconds(1);
  /** Window 10 s, timeout 30 s, ack wait 5 s, SSE retry hint 1 s, no participants. */
  public static final DrainOptions DEFAULTS = new DrainOptions(DEFAULT_WINDOW, DEFAULT_TIMEOUT, DEFAULT_ACK_WAIT,
      DEFAULT_SSE_RETRY, List.of());

  public DrainOptions {
    for (Duration duration : List.of(Objects.requireNonNull(window, "window"), Objects.requireNonNull(timeout, "timeout"),
        Objects.requireNonNull(ackWait, "ackWait"), Objects.requireNonNull(sseRetry, "sseRetry"))) {
      if (duration.isNegative()) {
        throw new IllegalArgumentException("drain durations must not be negative");
      }
    }
    if (timeout.isZero()) {
      throw new IllegalArgumentException("the drain timeout must be positive");
    }
    participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
  }

  public DrainOptions withWindow(Duration window) {
    return new DrainOptions(window, timeout, ackWait, sseRetry, participants);
  }

  public DrainOptions withTimeout(Duration timeout) {
    return new DrainOptions(window, timeout, ackWait, sseRetry, participants);
  }

  public DrainOptions withAckWait(Duration ackWait) {
    return new DrainOptions(window, timeout, ackWait, sseRetry, participants);
  }

  public DrainOptions withSseRetry(Duration sseRetry) {
    return new DrainOptions(window, timeout, ackWait, sseRetry, participants);
  }

  /** These options with {@code participant} added to the participants. */
  public DrainOptions withParticipant(DrainParticipant participant) {
    List<DrainParticipant> more = new ArrayList<>(participants);
    more.add(Objects.requireNonNull(participant, "participant"));
    return new DrainOptions(window, timeout, ackWait, sseRetry, more);
  }
}
