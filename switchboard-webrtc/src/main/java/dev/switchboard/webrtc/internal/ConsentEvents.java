package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.CallConsent;
import dev.switchboard.webrtc.ConsentState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The consent events of one socket: each names a call room the socket is in, and is answered through its ack. */
public final class ConsentEvents {
  private static final Logger log = LoggerFactory.getLogger(ConsentEvents.class);

  private ConsentEvents() {}

  public static void attach(CallConsent consent, Socket socket) {
    socket.on(CallConsent.CONSENT_EVENT, event -> callRoom(event).ifPresent(room -> {
      JsonNode recording = event.args().get(0).get("recording");
      if (recording == null || !recording.isBoolean()) {
        event.ack(CallAnswers.error("INVALID_REQUEST", "expected {room: string, recording: true|false}"));
        return;
      }
      CompletableFuture<ConsentState> answered = consent.afterArrival(socket, room)
          .thenCompose(settled -> consent.answer(room, ParticipantIds.of(socket), recording.booleanValue()));
      answer(event, answered, state -> CallAnswers.ok(state.toJson()));
    }));
    socket.on(CallConsent.STATE_EVENT, event -> callRoom(event).ifPresent(room ->
        answer(event, consent.state(room), state -> CallAnswers.ok(state.toJson()))));
    socket.on(CallConsent.RECORDING_START_EVENT, event -> callRoom(event).ifPresent(room ->
        answer(event, consent.startRecording(room, ParticipantIds.of(socket)), ConsentEvents::started)));
    socket.on(CallConsent.RECORDING_STOP_EVENT, event -> callRoom(event).ifPresent(room ->
        answer(event, consent.stopRecording(room, ParticipantIds.of(socket)), state -> CallAnswers.ok(state.toJson()))));
  }

  /** What {@code call:recording:start} answers: the state, or the refusal naming who has not agreed. */
  static Map<String, Object> started(ConsentState state) {
    if (state.recordingAllowed()) {
      return CallAnswers.ok(state.toJson());
    }
    return CallAnswers.error("CONSENT_REQUIRED", "every participant must agree to be recorded first",
        Map.of("notConsented", state.notConsented()));
  }

  /** The call room the event names, which its socket must be in; empty after answering the refusal. */
  private static Optional<String> callRoom(Event event) {
    JsonNode request = event.args().get(0);
    JsonNode room = request.isObject() ? request.get("room") : null;
    if (room == null || !room.isTextual() || !CallRooms.isCallRoom(room.textValue())) {
      event.ack(CallAnswers.error("INVALID_REQUEST", "expected {room: \"" + CallRooms.PREFIX + "<id>\", ...}"));
      return Optional.empty();
    }
    if (!event.socket().rooms().contains(room.textValue())) {
      event.ack(CallAnswers.error("NOT_IN_CALL", "join \"" + room.textValue() + "\" first"));
      return Optional.empty();
    }
    return Optional.of(room.textValue());
  }

  private static void answer(Event event, CompletableFuture<ConsentState> outcome, Function<ConsentState, Map<String, Object>> ok) {
    outcome.whenComplete((state, error) -> {
      if (error != null) {
        log.warn("socket {}: \"{}\" failed: {}", event.socket().id(), event.name(), error.toString());
        event.ack(CallAnswers.error("CONSENT_UNAVAILABLE", "the call's consent could not be read or kept; try again"));
        return;
      }
      event.ack(ok.apply(state));
    });
  }
}
