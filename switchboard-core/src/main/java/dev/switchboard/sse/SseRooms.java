package dev.switchboard.sse;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.rooms.RoomScope;
import dev.switchboard.rooms.internal.LocalRooms;
import dev.switchboard.sse.internal.SseRoomsRoute;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An SSE endpoint ({@code GET ?rooms=a,b}) whose EventSource streams follow rooms, resumed from
 * {@code Last-Event-ID} (or a {@code lastEventId} query parameter for a first load): one broadcast
 * reaches Socket.IO sockets and these streams alike. {@code io.sseRoute(options)} makes one over
 * the main namespace's rooms.
 */
public final class SseRooms implements HttpRoute {
  private final SseRoomsRoute route;

  private SseRooms(SseRoomsRoute route) {
    this.route = route;
  }

  /** The endpoint over {@code rooms}, with {@code options}. */
  public static SseRooms over(RoomScope rooms, SseRoomOptions options) {
    return new SseRooms(new SseRoomsRoute(LocalRooms.of(rooms), options));
  }

  @Override
  public void handle(HttpExchange exchange) {
    route.handle(exchange);
  }

  /** The number of streams open now. */
  public int openStreams() {
    return route.openStreams();
  }

  /** The rooms open streams follow, with how many streams follow each. */
  public java.util.Map<String, Integer> streamsByRoom() {
    return route.streamsByRoom();
  }

  /**
   * Drains the endpoint before its server stops: new streams are refused with {@code 503
   * {"code":"DRAINING"}}, and every open stream ends at its own turn within {@code window} (the
   * turns spread evenly over it, in random order), after a {@code retry:} hint of about
   * {@code retry} (moved at random by up to half), so that its EventSource reconnects soon, through
   * the balancer to another server, resuming from its {@code Last-Event-ID}. Completes with the
   * number of streams ended, once every one has.
   */
  public CompletionStage<Integer> drain(Duration window, Duration retry) {
    if (window.isNegative() || retry.isNegative()) {
      throw new IllegalArgumentException("window and retry must not be negative");
    }
    return route.drain(window, retry);
  }

  /** Whether {@link #drain} was called: new streams are refused. */
  public boolean draining() {
    return route.draining();
  }

  /** Ends every open stream after what is queued for it; each leaves its rooms as it closes. */
  public void closeAll() {
    route.closeAll();
  }

  /** Ends every stream and waits (briefly) until each has sent its last chunk. */
  @Override
  public void onServerStopping() {
    route.onServerStopping();
  }
}
