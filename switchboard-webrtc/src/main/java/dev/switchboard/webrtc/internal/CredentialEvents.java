package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.Callers;
import dev.switchboard.webrtc.IceServer;
import dev.switchboard.webrtc.SfuToken;
import dev.switchboard.webrtc.TurnCredential;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code turn:credentials {format?}} and {@code sfu:token {room, record?}} of one socket, answered
 * through the ack as the HTTP endpoints answer: {@code {ok:true, iceServers, expiresAt}} (or the
 * REST shape), {@code {ok:true, token, expiresAt}}, or {@code {ok:false, error:{code, message}}}.
 */
public final class CredentialEvents {
  private static final Logger log = LoggerFactory.getLogger(CredentialEvents.class);

  private CredentialEvents() {}

  public static void attach(Socket socket, String turnEvent, String sfuEvent, Callers callers, CredentialDesk desk) {
    socket.on(turnEvent, event -> user(event, callers).ifPresent(user -> turn(event, desk, user)));
    socket.on(sfuEvent, event -> user(event, callers).ifPresent(user ->
        desk.sfu(user, event.args().get(0)).whenComplete((outcome, error) -> {
          if (error != null) {
            log.warn("socket {}: \"{}\" failed", socket.id(), event.name(), error);
            event.ack(CallAnswers.error("INTERNAL", "the token could not be issued; try again"));
            return;
          }
          switch (outcome) {
            case CredentialDesk.Refused<SfuToken> refused -> event.ack(refusal(refused));
            case CredentialDesk.Issued<SfuToken> issued -> event.ack(CallAnswers.ok(issued.value().toJson()));
          }
        })));
  }

  private static void turn(Event event, CredentialDesk desk, VerifiedToken user) {
    JsonNode request = event.args().get(0);
    JsonNode format = request.isObject() ? request.get("format") : null;
    if (format != null && !format.isNull() && !(format.isTextual() && (format.textValue().equals("rest") || format.textValue().equals("ice")))) {
      event.ack(CallAnswers.error("INVALID_REQUEST", "format is ice (the default) or rest"));
      return;
    }
    switch (desk.turn(user)) {
      case CredentialDesk.Refused<TurnCredential> refused -> event.ack(refusal(refused));
      case CredentialDesk.Issued<TurnCredential> issued -> {
        TurnCredential credential = issued.value();
        if (format != null && "rest".equals(format.textValue())) {
          event.ack(CallAnswers.ok(credential.toRestApi()));
          return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("iceServers", credential.iceServers().stream().map(IceServer::toJson).toList());
        answer.put("expiresAt", credential.expiresAt().toEpochMilli());
        event.ack(CallAnswers.ok(answer));
      }
    }
  }

  private static Optional<VerifiedToken> user(Event event, Callers callers) {
    Optional<VerifiedToken> user = callers.fromSocket(event.socket());
    if (user.isEmpty()) {
      event.ack(CallAnswers.error(AuthError.AUTH_REQUIRED.name(),
          "no user: authenticate the connection (or, without authentication, send auth.user.id)"));
    }
    return user;
  }

  private static Map<String, Object> refusal(CredentialDesk.Refused<?> refused) {
    return CallAnswers.error(refused.code(), refused.message(), refused.details());
  }
}
