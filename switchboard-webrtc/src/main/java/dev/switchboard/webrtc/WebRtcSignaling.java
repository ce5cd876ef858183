package dev.switchboard.webrtc;

import dev.switchboard.http.internal.Globs;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.webrtc.internal.CallJoins;
import dev.switchboard.webrtc.internal.CallRooms;
import dev.switchboard.webrtc.internal.OfferNotices;
import dev.switchboard.webrtc.internal.Reachability;
import dev.switchboard.webrtc.internal.SignalKind;
import dev.switchboard.webrtc.internal.SocketSignals;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The signaling relay of WebRTC calls on the main namespace, as the pattern guide's client uses it:
 * {@code webrtc:offer {to, sdp}}, {@code webrtc:answer {to, sdp}} and
 * {@code webrtc:ice-candidate {to, candidate}} reach every connection of user {@code to}, on every
 * node of a cluster, as the same event with {@code {from, sdp}} or {@code {from, candidate}},
 * {@code from} being the sender's user id. A signal sent with an acknowledgement is answered
 * {@code {ok:true}} or {@code {ok:false, error:{code, message}}} ({@link SignalingError}); one
 * sent without is relayed or dropped silently. A signal without {@code to} (the pattern guide's
 * callee sends its candidates so) goes to the sending connection's current peer: the one user it
 * sent an offer or answer to or received an offer from, refused when there are none or several.
 *
 * <p>A user is who the server's {@link PresenceIdentity} says a connection is (the token's
 * {@code sub} with authentication, else the handshake's {@code auth.user.id}); a connection with
 * a user joins {@code user:{id}} if it is not in it yet. Unless the mode is
 * {@link SignalingMode#OPEN}, a signal passes only when the sending connection is in a call room
 * ({@code call:{id}}) where the target is present. Call rooms are joined through {@link #join},
 * which keeps them within the mesh limit.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
 *     .presence(WebRtcSignaling.presenceRules(true))
 *     .limits(limits.withExempt(WebRtcSignaling.EVENTS))
 *     .build());
 * WebRtcSignaling calls = WebRtcSignaling.install(io, SignalingOptions.DEFAULTS);
 * io.onConnection(socket -> socket.on("call:join", event ->
 *     calls.join(socket, "call:" + event.args().get(0).path("id").asText())
 *         .thenAccept(result -> event.ack(result instanceof JoinResult.CallFull full
 *             ? Map.of("ok", false, "error", full.error()) : Map.of("ok", true)))));
 * }</pre>
 */
public final class WebRtcSignaling {
  /** Sent by the caller, received by the callee. */
  public static final String OFFER = SignalKind.OFFER.event();
  /** Sent by the callee, received by the caller. */
  public static final String ANSWER = SignalKind.ANSWER.event();
  /** Sent by either side as ICE candidates are gathered. */
  public static final String ICE_CANDIDATE = SignalKind.ICE_CANDIDATE.event();
  /** The three signaling events, which the relay limits itself ({@link SignalingOptions#rate()}). */
  public static final Set<String> EVENTS = Arrays.stream(SignalKind.values()).map(SignalKind::event)
      .collect(Collectors.toUnmodifiableSet());
  /** Prefix of call rooms, {@code call:{id}}. */
  public static final String CALL_ROOM_PREFIX = CallRooms.PREFIX;

  private final SignalingOptions options;
  private final CallJoins joins;

  private WebRtcSignaling(SignalingOptions options, CallJoins joins) {
    this.options = options;
    this.joins = joins;
  }

  /**
   * Relays the signals of {@code io}'s main namespace. Its presence must track call rooms and user
   * rooms ({@link #presenceRules}): who is in a call and who is connected is read there.
   *
   * @throws IllegalArgumentException when {@code io}'s presence rules do not track them
   */
  public static WebRtcSignaling install(SocketIoServer io, SignalingOptions options) {
    Objects.requireNonNull(options, "options");
    List<PresenceRule> rules = io.options().presence();
    for (String sample : List.of(CALL_ROOM_PREFIX + "1", Rooms.user("1"))) {
      if (!tracked(rules, sample)) {
        throw new IllegalArgumentException("WebRTC signaling reads presence, but the presence rules do not track \"" + sample
            + "\": put WebRtcSignaling.presenceRules(...) first in SocketIoOptions.presence");
      }
    }
    PresenceIdentity identity = io.options().presenceIdentity();
    Reachability reachability = new Reachability(io, options.mode());
    OfferNotices notices = new OfferNotices(io);
    io.onConnection(socket -> {
      Optional<String> user = user(identity, socket);
      user.filter(id -> !socket.rooms().contains(Rooms.user(id))).ifPresent(socket::joinUser);
      SocketSignals.install(socket, io, options, reachability, notices, user);
    });
    return new WebRtcSignaling(options, new CallJoins(io, identity, options.meshLimit()));
  }

  /**
   * The presence rules signaling needs, to put before the application's own: call rooms and user
   * rooms tracked, announcing {@code presence:join} / {@code presence:leave} when {@code events}.
   */
  public static List<PresenceRule> presenceRules(boolean events) {
    return List.of(new PresenceRule(CALL_ROOM_PREFIX + "*", true, events), new PresenceRule(Rooms.USER_PREFIX + "*", true, events));
  }

  /** Whether {@code room} is a call room, {@code call:{id}}. */
  public static boolean isCallRoom(String room) {
    return CallRooms.isCallRoom(room);
  }

  /**
   * Makes {@code socket} join {@code room}: any other room at once, a call room unless it has
   * {@link SignalingOptions#meshLimit()} users already (the socket's own user aside), counted on
   * every node; then completes with {@link JoinResult.Joined} once every node sees the socket's
   * user in the call's presence, or with {@link JoinResult.CallFull} (the socket did not join).
   * Two users taking the last place at once on two nodes: one gets it. Rooms joined otherwise
   * ({@link Socket#join}, connection state recovery) are not counted against the limit first.
   */
  public CompletableFuture<JoinResult> join(Socket socket, String room) {
    return joins.join(socket, room);
  }

  public SignalingOptions options() {
    return options;
  }

  private static Optional<String> user(PresenceIdentity identity, Socket socket) {
    PresenceMember member = identity.identify(socket);
    return member.id().equals(socket.id()) ? Optional.empty() : Optional.of(member.id());
  }

  /** Whether the first rule matching {@code room} tracks presence. */
  private static boolean tracked(List<PresenceRule> rules, String room) {
    for (PresenceRule rule : rules) {
      if (Globs.matcher(rule.roomPattern()).test(room)) {
        return rule.track();
      }
    }
    return false;
  }
}
