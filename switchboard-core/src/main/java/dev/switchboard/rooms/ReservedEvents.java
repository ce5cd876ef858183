package dev.switchboard.rooms;

import java.util.HashSet;
import java.util.Set;

/**
 * Event names with a meaning of their own, in one place.
 *
 * <ul>
 *   <li>{@link #PROTOCOL}: names no client may emit, as in Node's socket.io-parser; a packet
 *       carrying one is a protocol error, and no listener may be added for one;</li>
 *   <li>{@link #SERVER}: names the server itself sends to clients (token expiry, presence,
 *       stream gaps, errors). Clients may emit them, but a relay of client messages, such as a
 *       room publish, must refuse them, or a client could speak with the server's voice.</li>
 * </ul>
 */
public final class ReservedEvents {
  /** Sent before a connection's token expires: {@code {expiresAt}}. */
  public static final String AUTH_EXPIRING = "auth:expiring";
  /** Sent when a connection's or a stream's token has expired, just before it ends. */
  public static final String AUTH_EXPIRED = "auth:expired";
  /** Announces a member's first connection in a room. */
  public static final String PRESENCE_JOIN = "presence:join";
  /** Announces a member's last connection leaving a room. */
  public static final String PRESENCE_LEAVE = "presence:leave";
  /**
   * The presence changes of a room over a short window, {@code {room, joined, left}}: sent instead
   * of {@link #PRESENCE_JOIN} and {@link #PRESENCE_LEAVE} to connections that asked for them.
   */
  public static final String PRESENCE_DIFF = "presence:diff";
  /** Tells an SSE stream that messages it asked to resume from are no longer kept. */
  public static final String STREAM_GAP = "stream:gap";
  /** An error that answers no acknowledgement, such as a rate-limited event. */
  public static final String ERROR = "error";

  /** Names no client may emit (Node's socket.io-parser {@code RESERVED_EVENTS}). */
  public static final Set<String> PROTOCOL = Set.of(
      "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");
  /** Names the server sends to clients on its own. */
  public static final Set<String> SERVER = Set.of(
      AUTH_EXPIRING, AUTH_EXPIRED, PRESENCE_JOIN, PRESENCE_LEAVE, PRESENCE_DIFF, STREAM_GAP, ERROR);
  /** {@link #PROTOCOL} and {@link #SERVER}: what a relay of client messages must refuse. */
  public static final Set<String> ALL = union(PROTOCOL, SERVER);

  private ReservedEvents() {}

  /** Whether a client message may not carry the name {@code event} (see {@link #ALL}). */
  public static boolean isReserved(String event) {
    return ALL.contains(event);
  }

  /** {@link #ALL} and {@code more}: for a server that sends events of its own besides these. */
  public static Set<String> with(Set<String> more) {
    return union(ALL, more);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
