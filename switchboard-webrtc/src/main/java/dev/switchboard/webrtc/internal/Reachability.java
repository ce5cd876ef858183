package dev.switchboard.webrtc.internal;

import dev.switchboard.presence.PresenceMember;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.webrtc.SignalingError;
import dev.switchboard.webrtc.SignalingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Finds whether a signal may reach its target, from presence (shared by every node of a cluster):
 * the target present in one of the sender's call rooms ({@code NOT_IN_CALL} otherwise, decided
 * before anything else is told), and connected, that is present in their user room
 * ({@code UNKNOWN_USER} otherwise). The reads run in parallel; none blocks.
 */
public final class Reachability {
  private final Namespace namespace;
  private final SignalingMode mode;

  public Reachability(Namespace namespace, SignalingMode mode) {
    this.namespace = namespace;
    this.mode = mode;
  }

  /**
   * Whether {@code to} may get a signal from a connection in the call rooms {@code calls} (sorted,
   * so the same call is named each time); completes on a store thread, never exceptionally.
   */
  public CompletableFuture<Reach> check(List<String> calls, String to) {
    CompletableFuture<Boolean> connected = present(Rooms.user(to), to);
    if (mode == SignalingMode.OPEN) {
      return connected.handle((online, error) -> error != null ? unavailable()
          : online ? new Reach.Reachable(Optional.empty()) : unknownUser(to));
    }
    List<CompletableFuture<Boolean>> memberships = new ArrayList<>(calls.size());
    for (String call : calls) {
      memberships.add(present(call, to));
    }
    return CompletableFuture.allOf(memberships.toArray(CompletableFuture[]::new)).thenCombine(connected, (all, online) -> {
      for (int i = 0; i < calls.size(); i++) {
        if (memberships.get(i).join()) {
          return online ? (Reach) new Reach.Reachable(Optional.of(calls.get(i))) : unknownUser(to);
        }
      }
      return notInCall(to);
    }).exceptionally(error -> unavailable());
  }

  /** Refuses a signal from a connection that is in no call room at all. */
  public static Reach notInCall(String to) {
    return new Reach.Refused(SignalingError.NOT_IN_CALL, "\"" + to + "\" is not in a call with this connection:"
        + " both must have joined the same call room (call:{id})");
  }

  private CompletableFuture<Boolean> present(String room, String user) {
    return namespace.presenceAsync(room).toCompletableFuture()
        .thenApply(members -> members.stream().map(PresenceMember::id).anyMatch(user::equals));
  }

  private static Reach unknownUser(String to) {
    return new Reach.Refused(SignalingError.UNKNOWN_USER, "\"" + to + "\" has no connection to receive it now");
  }

  private static Reach unavailable() {
    return new Reach.Refused(SignalingError.UNAVAILABLE, "who is in the call cannot be read now; try again");
  }

  /** The call rooms among {@code rooms}, sorted. */
  public static List<String> calls(Set<String> rooms) {
    return rooms.stream().filter(CallRooms::isCallRoom).sorted().toList();
  }
}
