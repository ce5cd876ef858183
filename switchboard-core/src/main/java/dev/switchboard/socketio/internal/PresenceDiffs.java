package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.internal.Json;
import dev.switchboard.presence.internal.PresenceWindow;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.rooms.internal.BroadcastTarget;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Batched presence for the connections of this node that ask for it (handshake
 * {@code auth.presenceDiff: true}, or {@code "true"}): instead of a {@code presence:join} or {@code presence:leave}
 * per change, each gets one {@code presence:diff {room, joined, left}} per room and window. The
 * connections of a room that asked are members of its <em>audience</em>, an unlisted room that the
 * room's presence events skip; the changes this node hears in the room (its own and, in a cluster,
 * every other node's) are folded per window and the diff is encoded once for the whole audience.
 */
final class PresenceDiffs {
  static final String EVENT = ReservedEvents.PRESENCE_DIFF;
  /** The handshake's {@code auth} field by which a connection asks for diffs. */
  static final String AUTH_FLAG = "presenceDiff";
  /** Audience rooms start with a character no room name a client may use holds. */
  private static final String AUDIENCE_PREFIX = "\u0000presence:diff\u0000";

  private final RealNamespace nsp;
  /** Zero: off, every connection gets per-change events. */
  private final Duration interval;
  /** Per room, how many of this node's connections are in its audience; rooms without any are absent. */
  private final ConcurrentHashMap<String, Integer> audiences = new ConcurrentHashMap<>();
  /** Per room, the window collecting changes until its diff is sent. */
  private final ConcurrentHashMap<String, PresenceWindow> open = new ConcurrentHashMap<>();

  PresenceDiffs(RealNamespace nsp, Duration interval) {
    this.nsp = nsp;
    this.interval = interval;
  }

  /** The unlisted room of {@code room}'s connections that get diffs, which presence events skip. */
  static String audience(String room) {
    return AUDIENCE_PREFIX + room;
  }

  /** Whether {@code socket} gets diffs instead of per-change events. */
  boolean wants(RealSocket socket) {
    if (interval.isZero()) {
      return false;
    }
    JsonNode flag = socket.handshake().auth().get(AUTH_FLAG);
    // "true" too: some clients (the Java one) send string values only
    return flag != null && (flag.isBoolean() ? flag.booleanValue() : flag.isTextual() && flag.textValue().equals("true"));
  }

  /** {@code socket}, which {@link #wants} diffs, entered {@code room} (announcing presence); on its loop. */
  void entered(RealSocket socket, String room) {
    audiences.merge(room, 1, Integer::sum);
    nsp.adapter().joinUnlisted(socket, audience(room));
  }

  /** {@code socket}, which {@link #wants} diffs, left {@code room}; on its loop. */
  void exited(RealSocket socket, String room) {
    nsp.adapter().leave(socket, audience(room));
    audiences.computeIfPresent(room, (r, count) -> count == 1 ? null : count - 1);
  }

  /**
   * Hears a broadcast this node delivers to its members (its own or another node's): a presence
   * change of a room with an audience here goes into the room's window.
   */
  void heard(String event, Object[] args) {
    if (audiences.isEmpty() || args.length == 0) {
      return; // every broadcast passes here: the usual case costs one check
    }
    boolean joined = event.equals(PresenceTracker.JOIN_EVENT);
    if (!joined && !event.equals(PresenceTracker.LEAVE_EVENT)) {
      return;
    }
    JsonNode change = args[0] instanceof JsonNode node ? node : Json.MAPPER.valueToTree(args[0]);
    JsonNode room = change.get("room");
    JsonNode member = change.get("member");
    if (room == null || !room.isTextual() || !(member instanceof ObjectNode) || !member.hasNonNull("id")
        || !audiences.containsKey(room.textValue())) {
      return;
    }
    record(room.textValue(), member.get("id").asText(), member, joined);
  }

  private void record(String room, String memberId, JsonNode member, boolean joined) {
    while (true) {
      PresenceWindow window = open.computeIfAbsent(room, this::openWindow);
      synchronized (window) {
        if (window.record(memberId, member, joined)) {
          return;
        }
      }
      // closed as it was found: the next one takes the change
      open.remove(room, window);
    }
  }

  private PresenceWindow openWindow(String room) {
    PresenceWindow window = new PresenceWindow();
    GlobalEventExecutor.INSTANCE.schedule(() -> send(room, window), interval.toNanos(), TimeUnit.NANOSECONDS);
    return window;
  }

  private void send(String room, PresenceWindow window) {
    open.remove(room, window);
    PresenceWindow.Diff diff;
    synchronized (window) {
      diff = window.close();
    }
    if (diff.isEmpty()) {
      return;
    }
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("room", room);
    payload.putArray("joined").addAll(diff.joined());
    payload.putArray("left").addAll(diff.left());
    nsp.adapter().broadcast(nsp.encodeUnkept(EVENT, new Object[] {payload}),
        new BroadcastTarget(Set.of(audience(room)), Set.of(), true, false));
  }
}
