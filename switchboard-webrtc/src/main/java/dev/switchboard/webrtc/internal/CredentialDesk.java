package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.RoomAction;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.webrtc.CallConsent;
import dev.switchboard.webrtc.SfuGrant;
import dev.switchboard.webrtc.SfuToken;
import dev.switchboard.webrtc.SfuTokens;
import dev.switchboard.webrtc.TurnCredential;
import dev.switchboard.webrtc.TurnCredentials;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * What a caller gets when asking for TURN credentials or an SFU token, the same over HTTP and
 * Socket.IO: the credential, or a refusal with an HTTP status and a stable code.
 */
public final class CredentialDesk {
  /** Longest call room name accepted. */
  public static final int MAX_ROOM_LENGTH = 200;
  /** The characters of a room name (those {@code room:join} accepts). */
  private static final Pattern ROOM_NAME = Pattern.compile("[\\p{L}\\p{N}_\\-:.@/#=+]+");

  /** A decision. */
  public sealed interface Outcome<T> permits Issued, Refused {}

  /** Granted. */
  public record Issued<T>(T value) implements Outcome<T> {}

  /** Refused: {@code status {code, message, ...details}}. */
  public record Refused<T>(int status, String code, String message, Map<String, Object> details) implements Outcome<T> {
    public Refused(int status, String code, String message) {
      this(status, code, message, Map.of());
    }
  }

  private final Optional<TurnCredentials> turn;
  private final Optional<SfuTokens> sfu;
  private final RoomAuthorizer rooms;
  private final Optional<CallConsent> consent;

  public CredentialDesk(Optional<TurnCredentials> turn, Optional<SfuTokens> sfu, RoomAuthorizer rooms, Optional<CallConsent> consent) {
    this.turn = turn;
    this.sfu = sfu;
    this.rooms = rooms;
    this.consent = consent;
  }

  public boolean turnConfigured() {
    return turn.isPresent();
  }

  public boolean sfuConfigured() {
    return sfu.isPresent();
  }

  public static <T> Refused<T> turnNotConfigured() {
    return new Refused<>(404, "TURN_NOT_CONFIGURED", "this server hands out no TURN credentials: no TURN secret is configured");
  }

  public static <T> Refused<T> sfuNotConfigured() {
    return new Refused<>(404, "SFU_NOT_CONFIGURED", "this server hands out no SFU tokens: no SFU API key is configured");
  }

  /** TURN credentials of {@code user}. */
  public Outcome<TurnCredential> turn(VerifiedToken user) {
    if (turn.isEmpty()) {
      return turnNotConfigured();
    }
    if (!TurnCredentials.validUser(user.subject())) {
      return invalidUser();
    }
    return new Issued<>(turn.get().mint(user.subject()));
  }

  /**
   * An SFU token of {@code user} for the call room {@code request.room}, with the recording grant
   * when {@code request.record} is true: only when the user may join the room, the grant rules
   * let them record, and every participant consented.
   */
  public CompletableFuture<Outcome<SfuToken>> sfu(VerifiedToken user, JsonNode request) {
    if (sfu.isEmpty()) {
      return done(sfuNotConfigured());
    }
    JsonNode room = request.isObject() ? request.get("room") : null;
    JsonNode record = request.isObject() ? request.get("record") : null;
    if (room == null || !room.isTextual() || (record != null && !record.isBoolean() && !record.isNull())) {
      return done(new Refused<>(400, "INVALID_REQUEST", "expected {room: \"" + CallRooms.PREFIX + "<id>\", record?: boolean}"));
    }
    String name = room.textValue();
    if (!CallRooms.isCallRoom(name) || name.length() > MAX_ROOM_LENGTH || !ROOM_NAME.matcher(name).matches()) {
      return done(new Refused<>(400, "INVALID_ROOM", "SFU tokens are for call rooms: \"" + CallRooms.PREFIX
          + "<id>\", at most " + MAX_ROOM_LENGTH + " letters, digits or _-:.@/#=+ characters"));
    }
    if (!TurnCredentials.validUser(user.subject())) {
      return done(invalidUser());
    }
    boolean recording = record != null && record.asBoolean();
    CompletableFuture<RoomDecision> decision;
    try {
      decision = rooms.authorize(user, name, RoomAction.JOIN);
    } catch (RuntimeException e) {
      decision = CompletableFuture.failedFuture(e);
    }
    return decision.exceptionally(error -> RoomDecision.deny(AuthError.AUTHZ_UNAVAILABLE, "the room could not be authorized"))
        .thenCompose(answer -> {
          if (!answer.allowed()) {
            AuthError error = answer.error().orElseThrow();
            return done(new Refused<>(error.httpStatus(), error.name(), answer.message().orElseThrow()));
          }
          return granted(user, name, recording);
        });
  }

  private CompletableFuture<Outcome<SfuToken>> granted(VerifiedToken user, String room, boolean recording) {
    SfuTokens tokens = sfu.orElseThrow();
    SfuGrant grant = tokens.grant(user, room);
    if (!recording) {
      return done(new Issued<>(tokens.mint(user, room, grant.withRoomRecord(false))));
    }
    if (!grant.roomRecord() || consent.isEmpty()) {
      return done(new Refused<>(403, "RECORDING_FORBIDDEN", "this user may not record \"" + room + "\""));
    }
    return consent.get().state(room).handle((state, error) -> {
      if (error != null) {
        return new Refused<>(503, "CONSENT_UNAVAILABLE", "the call's consent could not be read; try again");
      }
      if (!state.recordingAllowed()) {
        return new Refused<>(409, "CONSENT_REQUIRED", "every participant must agree to be recorded first",
            Map.of("notConsented", state.notConsented()));
      }
      return new Issued<>(tokens.mint(user, room, grant));
    });
  }

  private static <T> Refused<T> invalidUser() {
    return new Refused<>(400, "INVALID_USER", "a user id is 1 to 256 characters without control characters");
  }

  private static <T> CompletableFuture<Outcome<T>> done(Outcome<T> outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
