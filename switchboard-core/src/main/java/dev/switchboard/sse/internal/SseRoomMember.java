package dev.switchboard.sse.internal;

import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.http.internal.Json;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.rooms.internal.RoomMember;
import dev.switchboard.sse.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An SSE stream as a room member. It follows where it stands in each room with history (its
 * cursors), writes them as the id of every event it sends, and on resume replays what it missed
 * before going live, skipping live messages it already replayed. Loop-confined.
 */
final class SseRoomMember implements RoomMember {
  /** The event that tells a client it missed messages that can no longer be replayed. */
  static final String GAP_EVENT = ReservedEvents.STREAM_GAP;

  private final String id;
  private final ChannelSseStream stream;
  private final LocalAdapter<?> adapter;
  private final RoomHistory history;
  private final Set<String> rooms;
  /** Most live messages held while the history is read; beyond it the stream ends and resumes. */
  static final int MAX_HELD = 10_000;

  private final Map<String, StreamPosition> cursors = new LinkedHashMap<>();
  /** True until the replay is sent. */
  private boolean replaying;
  /** Live messages that came during the replay, each retained; null when none. */
  private List<Held> held;

  SseRoomMember(String id, ChannelSseStream stream, LocalAdapter<?> adapter, RoomHistory history, Set<String> rooms) {
    this.id = id;
    this.stream = stream;
    this.adapter = adapter;
    this.history = history;
    this.rooms = new LinkedHashSet<>(rooms);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public EventExecutor executor() {
    return stream.executor();
  }

  /**
   * Joins the rooms and replays what the client missed since {@code resumeFrom} (its
   * Last-Event-ID), or since the moment of joining on a first connection; live messages that come
   * while the history is read are held and sent after the replay, those already replayed skipped.
   * On the stream's loop.
   */
  void start(Map<String, StreamPosition> resumeFrom, boolean unreadableId) {
    adapter.streamMemberAdded();
    replaying = true;
    for (String room : rooms) {
      adapter.join(this, room);
    }
    // Registered after joining, so a stream that already ended leaves at once.
    stream.onClose(this::leaveAll);
    Map<String, CompletableFuture<Catchup>> catchups = new LinkedHashMap<>();
    for (String room : rooms) {
      if (history.keeps(room)) {
        StreamPosition from = resumeFrom.get(room);
        CompletableFuture<StreamPosition> cursor = from != null ? CompletableFuture.completedFuture(from) : history.head(room);
        catchups.put(room, cursor.thenCompose(at -> history.since(room, at, Integer.MAX_VALUE)
            .thenApply(page -> new Catchup(at, page))));
      }
    }
    CompletableFuture.allOf(catchups.values().toArray(CompletableFuture[]::new)).whenComplete((done, error) ->
        EventLoops.runOn(executor(), () -> replay(catchups, resumeFrom, unreadableId)));
  }

  /** Where a room's replay starts and what follows it. */
  private record Catchup(StreamPosition cursor, HistoryPage page) {}

  /** A live message that came during the replay. */
  private record Held(OutboundBroadcast message, boolean volatileDelivery) {}

  private void replay(Map<String, CompletableFuture<Catchup>> catchups, Map<String, StreamPosition> resumeFrom,
      boolean unreadableId) {
    if (!stream.isOpen()) {
      releaseHeld();
      return;
    }
    List<HistoryEntry> missed = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<Catchup>> pending : catchups.entrySet()) {
      String room = pending.getKey();
      String before = resumeFrom.containsKey(room) ? resumeFrom.get(room).toString() : null;
      Catchup catchup = pending.getValue().exceptionally(error -> null).join();
      if (catchup == null) {
        sendGap(room, before, null);
        continue;
      }
      HistoryPage page = catchup.page();
      cursors.put(room, catchup.cursor());
      boolean lost = page.gap() || (unreadableId && !resumeFrom.containsKey(room));
      if (lost) {
        StreamPosition restart = page.entries().isEmpty() ? page.head()
            : new StreamPosition(page.head().epoch(), page.entries().get(0).position().offset() - 1);
        cursors.put(room, restart);
        sendGap(room, before, page.head());
      }
      missed.addAll(page.entries());
    }
    missed.sort(Comparator.comparingLong(HistoryEntry::sequence));
    for (HistoryEntry entry : missed) {
      ByteBuf body = HistorySseBodies.of(entry);
      if (body != null) {
        try {
          sendPositioned(entry.room(), entry.position(), body);
        } finally {
          body.release();
        }
      }
    }
    replaying = false;
    List<Held> live = held;
    held = null;
    if (live != null) {
      for (Held message : live) {
        try {
          deliver(message.message(), message.volatileDelivery());
        } finally {
          message.message().release();
        }
      }
    }
  }

  @Override
  public void deliver(OutboundBroadcast message, boolean volatileDelivery) {
    if (replaying) {
      hold(message, volatileDelivery);
      return;
    }
    ByteBuf body = message.sseBody();
    if (body == null || !stream.isOpen()) {
      return;
    }
    if (volatileDelivery && stream.pendingBytes() > 0) {
      adapter.counts().volatileDropped();
      return;
    }
    if (message.position() != null && cursors.containsKey(message.room())) {
      sendPositioned(message.room(), message.position(), body);
    } else {
      stream.sendShared(body, message.sseChunk());
    }
  }

  /** Sends a message kept in history, unless the stream already has it. */
  private void sendPositioned(String room, StreamPosition position, ByteBuf body) {
    StreamPosition seen = cursors.get(room);
    if (seen != null && seen.epoch().equals(position.epoch()) && position.offset() <= seen.offset()) {
      return;
    }
    cursors.put(room, position);
    String id = EventIds.encode(cursors);
    ByteBuf event = stream.newEvent(id.length() + 5 + body.readableBytes());
    ByteBufUtil.writeAscii(event, "id: ");
    ByteBufUtil.writeUtf8(event, id);
    event.writeByte('\n').writeBytes(body, body.readerIndex(), body.readableBytes());
    stream.sendEvent(event);
  }

  private void hold(OutboundBroadcast message, boolean volatileDelivery) {
    if (!stream.isOpen()) {
      return;
    }
    if (held == null) {
      held = new ArrayList<>();
    }
    if (held.size() == MAX_HELD) {
      // The client comes back with its Last-Event-ID and resumes from the history.
      stream.close();
      return;
    }
    message.retain();
    held.add(new Held(message, volatileDelivery));
  }

  private void releaseHeld() {
    List<Held> live = held;
    held = null;
    if (live != null) {
      live.forEach(message -> message.message().release());
    }
  }

  /** {@code head} is null when the history could not be read. */
  private void sendGap(String room, String lastEventPosition, StreamPosition head) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("room", room);
    data.put("from", lastEventPosition);
    data.put("head", head == null ? null : head.toString());
    data.put("message", "messages of " + room + " were missed and are no longer kept; reload its state");
    stream.send(SseEvent.of(GAP_EVENT, Json.stringify(data)).withId(EventIds.encode(cursors)));
  }

  private void leaveAll() {
    releaseHeld();
    for (String room : rooms) {
      adapter.leave(this, room);
    }
    adapter.streamMemberRemoved();
  }
}
