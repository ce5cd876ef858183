package dev.switchboard.webrtc;

import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.internal.CallRooms;
import dev.switchboard.webrtc.internal.ConsentEvents;
import dev.switchboard.webrtc.internal.ParticipantIds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recording consent in call rooms ({@code call:{id}}): a call may be recorded only while every
 * participant (every user with a connection in the room, on any node) has agreed.
 *
 * <ul>
 *   <li>{@code call:consent {room, recording: true|false}} keeps the sender's answer;
 *       withdrawing it stops a recording under way;</li>
 *   <li>{@code call:recording:start {room}} is refused with {@code CONSENT_REQUIRED} (listing who
 *       has not agreed) until everyone has; then the room gets {@code call:recording:start {room, by}};</li>
 *   <li>a user who arrives in the room gets {@code call:consent:request {room, recording}}, and a
 *       recording under way stops at once ({@code call:recording:stop {room, reason:
 *       "CONSENT_REQUIRED", notConsented}}) until they agree and it is started again;</li>
 *   <li>each change is announced to the room as {@code call:consent:state} ({@link ConsentState});
 *       {@code call:consent:state {room}} asks for it.</li>
 * </ul>
 *
 * <p>An answer lasts while its user stays in the call: one who leaves and comes back is asked
 * again. Failures of the store (Redis away) refuse recording rather than allow it.
 */
public final class CallConsent {
  public static final String CONSENT_EVENT = "call:consent";
  public static final String STATE_EVENT = "call:consent:state";
  public static final String REQUEST_EVENT = "call:consent:request";
  public static final String RECORDING_START_EVENT = "call:recording:start";
  public static final String RECORDING_STOP_EVENT = "call:recording:stop";
  /**
   * The events the server sends to call rooms on its own: a relay of client messages (a room
   * publish) must refuse these names, or a client could fake a recording notice.
   */
  public static final Set<String> SERVER_EVENTS = Set.of(STATE_EVENT, REQUEST_EVENT, RECORDING_START_EVENT, RECORDING_STOP_EVENT);

  private final Namespace nsp;
  private final ConsentStore store;
  /** Arrivals being settled, by socket and room: that socket's own answers wait for them. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> arrivals = new ConcurrentHashMap<>();

  private CallConsent(Namespace nsp, ConsentStore store) {
    this.nsp = nsp;
    this.store = store;
  }

  /** Consent in the call rooms of {@code nsp}, kept in {@code store}. */
  public static CallConsent create(Namespace nsp, ConsentStore store) {
    return new CallConsent(nsp, store);
  }

  /**
   * Answers {@code call:consent}, {@code call:consent:state}, {@code call:recording:start} and
   * {@code call:recording:stop} from every socket of the namespace.
   */
  public CallConsent install() {
    nsp.onConnection(socket -> ConsentEvents.attach(this, socket));
    return this;
  }

  /** Where {@code room} stands now. */
  public CompletableFuture<ConsentState> state(String room) {
    CompletableFuture<List<String>> participants = nsp.in(room).fetchSockets()
        .thenApply(sockets -> sockets.stream().map(ParticipantIds::of).distinct().sorted().toList());
    return participants.thenCombine(store.read(room).toCompletableFuture(), (users, entry) -> view(room, users, entry));
  }

  /**
   * Keeps {@code userId}'s answer in {@code room} and announces the new state; a withdrawn
   * consent stops the recording under way.
   */
  public CompletableFuture<ConsentState> answer(String room, String userId, boolean consent) {
    CompletableFuture<?> kept = store.answer(room, userId, consent).toCompletableFuture();
    if (!consent) {
      kept = kept.thenCompose(done -> stopForConsent(room, "CONSENT_WITHDRAWN", List.of(userId)));
    }
    return kept.thenCompose(done -> announce(room));
  }

  /**
   * Starts a recording of {@code room} by {@code userId} if every participant agreed, and tells
   * the room; the answer is the state after the attempt: {@link ConsentState#recordingAllowed()}
   * false means refused, {@link ConsentState#notConsented()} says by whom.
   */
  public CompletableFuture<ConsentState> startRecording(String room, String userId) {
    return state(room).thenCompose(before -> {
      if (!before.recordingAllowed() || before.recording()) {
        return CompletableFuture.completedFuture(before);
      }
      return store.startRecording(room, userId).toCompletableFuture()
          .thenCompose(started -> state(room))
          .thenCompose(after -> {
            if (!after.recordingAllowed()) {
              // Someone arrived between the check and the start: they were never asked.
              return store.stopRecording(room).toCompletableFuture().thenCompose(stopped -> state(room));
            }
            nsp.to(room).emit(RECORDING_START_EVENT, Map.of("room", room, "by", userId));
            nsp.to(room).emit(STATE_EVENT, after.toJson());
            return CompletableFuture.completedFuture(after);
          });
    });
  }

  /** Stops the recording of {@code room} under way, if any, and tells the room who stopped it. */
  public CompletableFuture<ConsentState> stopRecording(String room, String userId) {
    return store.read(room).toCompletableFuture().thenCompose(entry -> {
      if (entry.recordingBy().isEmpty()) {
        return state(room);
      }
      return store.stopRecording(room).toCompletableFuture().thenCompose(stopped -> {
        nsp.to(room).emit(RECORDING_STOP_EVENT, Map.of("room", room, "by", userId, "reason", "STOPPED"));
        return announce(room);
      });
    });
  }

  /**
   * Tells consent that {@code socket} has just joined {@code room} (nothing for other rooms); call
   * it on the socket's event loop, right after the join. See {@link #joining}.
   */
  public CompletableFuture<Void> joined(Socket socket, String room) {
    return joining(socket, room, CompletableFuture.completedFuture(true));
  }

  /**
   * Tells consent that {@code socket} is joining {@code room} (nothing for other rooms), which
   * {@code entered} says it did (true) or not; call it on the socket's event loop, before any
   * later event of the socket is handled. Once the socket is in and the room is ready
   * ({@link Socket#roomReady}), a user with no other connection there is arriving: their earlier
   * answer is forgotten, they get {@code call:consent:request}, a recording under way stops and
   * the room gets the new state. The socket's own answers wait for this.
   */
  public CompletableFuture<Void> joining(Socket socket, String room, CompletionStage<Boolean> entered) {
    if (!CallRooms.isCallRoom(room)) {
      return CompletableFuture.completedFuture(null);
    }
    String key = arrivalKey(socket, room);
    CompletableFuture<Void> settled = new CompletableFuture<>();
    arrivals.put(key, settled);
    entered.toCompletableFuture()
        .thenCompose(in -> !in ? CompletableFuture.<Void>completedFuture(null)
            : socket.roomReady(room).handle((ready, error) -> null).thenCompose(ready -> arrive(socket, room)))
        .whenComplete((done, error) -> {
          arrivals.remove(key, settled);
          if (error != null) {
            settled.completeExceptionally(error);
          } else {
            settled.complete(null);
          }
        });
    return settled;
  }

  /**
   * Completes once the arrival of {@code socket} in {@code room} is settled (at once when none is
   * under way), never exceptionally: an answer the socket sends right after joining must not be
   * forgotten by its own arrival.
   */
  public CompletableFuture<Void> afterArrival(Socket socket, String room) {
    CompletableFuture<Void> arrival = arrivals.get(arrivalKey(socket, room));
    return arrival == null ? CompletableFuture.completedFuture(null) : arrival.handle((done, error) -> null);
  }

  private static String arrivalKey(Socket socket, String room) {
    return socket.id() + '\n' + room;
  }

  private CompletableFuture<Void> arrive(Socket socket, String room) {
    String user = ParticipantIds.of(socket);
    return nsp.in(room).fetchSockets().thenCompose(sockets -> {
      boolean returning = sockets.stream().anyMatch(other -> !other.id().equals(socket.id()) && ParticipantIds.of(other).equals(user));
      if (returning) {
        return state(room).thenAccept(state -> EventLoops.runOn(socket.executor(), () -> socket.emit(STATE_EVENT, state.toJson())));
      }
      return store.forget(room, List.of(user)).toCompletableFuture()
          .thenCompose(forgotten -> stopForConsent(room, "CONSENT_REQUIRED", List.of(user)))
          .thenCompose(wasRecording -> {
            EventLoops.runOn(socket.executor(), () -> socket.emit(REQUEST_EVENT, Map.of("room", room, "recording", wasRecording)));
            return announce(room);
          })
          .thenApply(state -> null);
    });
  }

  /** Stops a recording under way because of {@code users}; completes with whether there was one. */
  private CompletableFuture<Boolean> stopForConsent(String room, String reason, List<String> users) {
    return store.read(room).toCompletableFuture().thenCompose(entry -> {
      if (entry.recordingBy().isEmpty()) {
        return CompletableFuture.completedFuture(false);
      }
      return store.stopRecording(room).toCompletableFuture().thenApply(stopped -> {
        Map<String, Object> stop = new LinkedHashMap<>();
        stop.put("room", room);
        stop.put("reason", reason);
        stop.put("notConsented", users);
        nsp.to(room).emit(RECORDING_STOP_EVENT, stop);
        return true;
      });
    });
  }

  private CompletableFuture<ConsentState> announce(String room) {
    return state(room).thenApply(state -> {
      nsp.to(room).emit(STATE_EVENT, state.toJson());
      return state;
    });
  }

  private static ConsentState view(String room, List<String> participants, ConsentStore.Entry entry) {
    List<String> consented = participants.stream().filter(user -> entry.answers().getOrDefault(user, false)).toList();
    List<String> declined = participants.stream().filter(user -> Boolean.FALSE.equals(entry.answers().get(user))).toList();
    List<String> notConsented = participants.stream().filter(user -> !consented.contains(user)).toList();
    Optional<String> recordingBy = entry.recordingBy();
    return new ConsentState(room, participants, consented, declined, notConsented, recordingBy);
  }
}
