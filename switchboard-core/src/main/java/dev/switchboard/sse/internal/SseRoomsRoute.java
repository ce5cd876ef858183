package dev.switchboard.sse.internal;

import dev.switchboard.http.internal.Cors;
import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.http.internal.Spread;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.http.internal.Json;
import dev.switchboard.rooms.internal.LocalRooms;
import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseRoomPolicy;
import dev.switchboard.sse.SseStream;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sse?rooms=a,b}: an EventSource stream subscribed to rooms of the main namespace,
 * resumed from {@code Last-Event-ID} (or a {@code lastEventId} query parameter for a first load).
 */
public final class SseRoomsRoute implements HttpRoute {
  /** What a stream gets just before it ends because its token expired: the name Socket.IO clients get too. */
  private static final String EXPIRED_EVENT = ReservedEvents.AUTH_EXPIRED;
  private static final String EXPIRED_DATA = Json.stringify(Map.of("code", "TOKEN_EXPIRED",
      "message", "the access token expired: open a new stream with a fresh one"));

  private final LocalRooms rooms;
  private final SseRoomOptions options;
  private static final Duration STOP_WAIT = Duration.ofSeconds(2);

  /** What a stream asked for while the endpoint drains gets. */
  private static final SseRoomPolicy.Refusal DRAINING = new SseRoomPolicy.Refusal(503, "DRAINING",
      "this server is shutting down: open the stream again, another server will serve it");

  /** The open streams with the rooms each follows. */
  private final ConcurrentHashMap<ChannelSseStream, Set<String>> open = new ConcurrentHashMap<>();
  /** Set once the endpoint drains: new streams are refused from then on. */
  private volatile boolean draining;

  public SseRoomsRoute(LocalRooms rooms, SseRoomOptions options) {
    this.rooms = rooms;
    this.options = options;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!Cors.permits(options.stream().cors(), exchange)) {
      refuse(exchange, new SseRoomPolicy.Refusal(403, "FORBIDDEN_ORIGIN", "this origin may not open streams here"));
      return;
    }
    if (exchange.method().equals(HttpMethod.OPTIONS)) {
      exchange.respondEmpty(HttpResponseStatus.NO_CONTENT, Cors.preflight(options.stream().cors(), exchange, "GET"));
      return;
    }
    if (draining) {
      refuse(exchange, DRAINING);
      return;
    }
    if (!exchange.method().equals(HttpMethod.GET)) {
      refuse(exchange, new SseRoomPolicy.Refusal(405, "METHOD_NOT_ALLOWED", "open the stream with GET"));
      return;
    }
    Set<String> rooms = parseRooms(exchange.queryParam("rooms").orElse(""));
    if (rooms.isEmpty()) {
      refuse(exchange, new SseRoomPolicy.Refusal(400, "NO_ROOMS", "name the rooms to follow: ?rooms=a,b"));
      return;
    }
    if (rooms.size() > options.maxRooms()) {
      refuse(exchange, new SseRoomPolicy.Refusal(400, "TOO_MANY_ROOMS",
          "a stream follows at most " + options.maxRooms() + " rooms"));
      return;
    }
    options.policy().admit(exchange, rooms).whenComplete((admission, error) ->
        EventLoops.runOn(exchange.channel().eventLoop(), () -> open(exchange, admission, error)));
  }

  private void open(HttpExchange exchange, SseRoomPolicy.Admission admission, Throwable error) {
    if (!exchange.channel().isActive()) {
      return;
    }
    if (error != null) {
      refuse(exchange, new SseRoomPolicy.Refusal(503, "UNAVAILABLE", "the subscription could not be decided"));
      return;
    }
    if (draining) {
      refuse(exchange, DRAINING);
      return;
    }
    if (admission.refusal().isPresent()) {
      refuse(exchange, admission.refusal().get());
      return;
    }
    String lastEventId = exchange.header("Last-Event-ID").or(() -> exchange.queryParam("lastEventId")).orElse("");
    Optional<Map<String, StreamPosition>> resumeFrom = EventIds.parse(lastEventId);
    ChannelSseStream stream = ChannelSseStream.open(exchange, options.stream());
    open.put(stream, Set.copyOf(admission.rooms()));
    stream.onClose(() -> open.remove(stream));
    SseRoomMember member = new SseRoomMember("sse-" + SessionIds.next(), stream, rooms.adapter(), rooms.history(),
        admission.rooms());
    member.start(resumeFrom.orElse(Map.of()), resumeFrom.isEmpty());
    admission.expiresAt().ifPresent(expiresAt -> endAtExpiry(stream, expiresAt));
  }

  /**
   * Ends {@code stream} when its admission lapses, telling the client why first: an
   * {@code EventSource} reconnects with the URL (and token) it has, so the application has to
   * open a new one with a fresh token.
   */
  private static void endAtExpiry(ChannelSseStream stream, Instant expiresAt) {
    long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
    ScheduledFuture<?> end = stream.executor().schedule(() -> {
      stream.send(SseEvent.of(EXPIRED_EVENT, EXPIRED_DATA));
      stream.close();
    }, delay, TimeUnit.MILLISECONDS);
    stream.onClose(() -> end.cancel(false));
  }

  /** The rooms named by a {@code rooms} parameter: comma-separated, trimmed, blanks and repeats dropped, in order. */
  public static Set<String> parseRooms(String param) {
    Set<String> rooms = new LinkedHashSet<>();
    for (String room : param.split(",")) {
      // Trimmed first: trim() also drops control characters, which isBlank() does not see as blank.
      String name = room.trim();
      if (!name.isBlank()) {
        rooms.add(name);
      }
    }
    return rooms;
  }

  /** The number of streams open now. */
  public int openStreams() {
    return open.size();
  }

  /** The rooms followed by open streams, with how many streams follow each (read when asked, never counted on the way). */
  public Map<String, Integer> streamsByRoom() {
    Map<String, Integer> counts = new HashMap<>();
    open.values().forEach(rooms -> rooms.forEach(room -> counts.merge(room, 1, Integer::sum)));
    return counts;
  }

  /** Whether the endpoint drains: new streams are refused. */
  public boolean draining() {
    return draining;
  }

  /**
   * Refuses new streams from now on, and ends every open one at its turn within {@code window}
   * ({@link Spread}), after a {@code retry:} hint of about {@code retry}; completes with the
   * number of streams ended once every one has.
   */
  public CompletableFuture<Integer> drain(Duration window, Duration retry) {
    draining = true;
    List<ChannelSseStream> streams = List.copyOf(open.keySet());
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    if (streams.isEmpty()) {
      ended.complete(0);
      return ended;
    }
    AtomicInteger left = new AtomicInteger(streams.size());
    long[] delays = Spread.delays(streams.size(), window, ThreadLocalRandom.current());
    for (int i = 0; i < streams.size(); i++) {
      ChannelSseStream stream = streams.get(i);
      ScheduledFuture<?> turn = stream.executor().schedule(() -> {
        stream.retryHint(Spread.jittered(retry, ThreadLocalRandom.current()));
        stream.close();
      }, delays[i], TimeUnit.NANOSECONDS);
      stream.onClose(() -> {
        turn.cancel(false);
        if (left.decrementAndGet() == 0) {
          ended.complete(streams.size());
        }
      });
    }
    return ended;
  }

  /** Ends every open stream after what is queued for it; each leaves its rooms as it closes. */
  public void closeAll() {
    open.keySet().forEach(SseStream::close);
  }

  /**
   * Ends every stream and waits (briefly) until each has sent its last chunk: the event loops
   * stop next, and a loop that stops closes its connections without flushing what is queued.
   */
  @Override
  public void onServerStopping() {
    List<ChannelSseStream> streams = List.copyOf(open.keySet());
    CountDownLatch ended = new CountDownLatch(streams.size());
    for (SseStream stream : streams) {
      stream.onClose(ended::countDown);
      stream.close();
    }
    try {
      ended.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void refuse(HttpExchange exchange, SseRoomPolicy.Refusal refusal) {
    exchange.respondJson(HttpResponseStatus.valueOf(refusal.status()),
        Json.stringify(Map.of("code", refusal.code(), "message", refusal.message())),
        Cors.headers(options.stream().cors(), exchange));
  }
}
