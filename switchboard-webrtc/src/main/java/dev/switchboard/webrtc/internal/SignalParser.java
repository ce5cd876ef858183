package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.webrtc.SignalingOptions;
import java.util.Optional;

/**
 * Reads a signal's payload, {@code {to, sdp: {type, sdp}}} or {@code {to, candidate: {candidate,
 * sdpMid?, sdpMLineIndex?, usernameFragment?}}}, as the browser's {@code RTCSessionDescription} and
 * {@code RTCIceCandidate} serialize. Only those standard fields are relayed: the target gets
 * well-formed objects of bounded size whatever the sender added. A {@code to} that is absent or
 * {@code null} names no target: the relay sends such a signal to the connection's current peer.
 * Pure: no I/O, no state.
 */
public final class SignalParser {
  /** Longest user id accepted in {@code to}. */
  public static final int MAX_USER_ID_LENGTH = 256;
  /** Longest {@code sdpMid} and {@code usernameFragment} accepted (an ICE ufrag is at most 256 characters). */
  public static final int MAX_SHORT_FIELD_LENGTH = 256;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SignalParser() {}

  /** Reads {@code payload} as a {@code kind} signal sent by user {@code self}. */
  public static Parsed parse(SignalKind kind, JsonNode payload, String self, SignalingOptions options) {
    if (payload == null || !payload.isObject()) {
      return new Parsed.Invalid("expected {to, " + kind.field() + "}");
    }
    JsonNode named = payload.get("to");
    Optional<String> to = Optional.empty();
    if (named != null && !named.isNull()) {
      if (!named.isTextual() || named.textValue().isEmpty() || named.textValue().length() > MAX_USER_ID_LENGTH) {
        return new Parsed.Invalid("to must be a user id of 1 to " + MAX_USER_ID_LENGTH + " characters");
      }
      if (named.textValue().equals(self)) {
        return new Parsed.Invalid("to must be another user: a connection cannot signal its own user");
      }
      to = Optional.of(named.textValue());
    }
    return kind == SignalKind.ICE_CANDIDATE
        ? candidate(to, payload.get("candidate"), options)
        : description(kind, to, payload.get("sdp"), options);
  }

  private static Parsed description(SignalKind kind, Optional<String> to, JsonNode sdp, SignalingOptions options) {
    String shape = "sdp must be a session description {type: " + String.join(" | ", kind.descriptionTypes().stream().sorted()
        .map(type -> "\"" + type + "\"").toList()) + ", sdp: string}";
    if (sdp == null || !sdp.isObject()) {
      return new Parsed.Invalid(shape);
    }
    JsonNode type = sdp.get("type");
    JsonNode text = sdp.get("sdp");
    if (type == null || !type.isTextual() || !kind.descriptionTypes().contains(type.textValue())
        || text == null || !text.isTextual()) {
      return new Parsed.Invalid(shape);
    }
    String description = text.textValue();
    if (description.length() > options.maxSdpLength()) {
      return new Parsed.Invalid("sdp.sdp is " + description.length() + " characters, over the limit of " + options.maxSdpLength());
    }
    if (!description.startsWith("v=")) {
      return new Parsed.Invalid("sdp.sdp must be session description text, starting with \"v=0\"");
    }
    ObjectNode body = JSON.objectNode().put("type", type.textValue()).put("sdp", description);
    return new Parsed.Signal(kind, to, body, cost(description));
  }

  private static Parsed candidate(Optional<String> to, JsonNode candidate, SignalingOptions options) {
    String shape = "candidate must be {candidate: string, sdpMid?, sdpMLineIndex?, usernameFragment?}, or null at the end of candidates";
    if (candidate == null) {
      return new Parsed.Invalid(shape);
    }
    if (candidate.isNull()) {
      return new Parsed.Signal(SignalKind.ICE_CANDIDATE, to, NullNode.getInstance(), 1);
    }
    JsonNode text = candidate.isObject() ? candidate.get("candidate") : null;
    if (text == null || !text.isTextual()) {
      return new Parsed.Invalid(shape);
    }
    if (text.textValue().length() > options.maxCandidateLength()) {
      return new Parsed.Invalid("candidate.candidate is " + text.textValue().length() + " characters, over the limit of "
          + options.maxCandidateLength());
    }
    ObjectNode body = JSON.objectNode().put("candidate", text.textValue());
    JsonNode mid = candidate.get("sdpMid");
    JsonNode index = candidate.get("sdpMLineIndex");
    JsonNode fragment = candidate.get("usernameFragment");
    if (!absentOrShortText(mid) || !absentOrShortText(fragment)) {
      return new Parsed.Invalid("candidate.sdpMid and candidate.usernameFragment must be null or strings of at most "
          + MAX_SHORT_FIELD_LENGTH + " characters");
    }
    if (index != null && !index.isNull() && !(index.canConvertToInt() && index.isIntegralNumber()
        && index.intValue() >= 0 && index.intValue() <= 65_535)) {
      return new Parsed.Invalid("candidate.sdpMLineIndex must be null or an integer of 0 to 65535");
    }
    copy(body, "sdpMid", mid);
    copy(body, "sdpMLineIndex", index);
    copy(body, "usernameFragment", fragment);
    return new Parsed.Signal(SignalKind.ICE_CANDIDATE, to, body, cost(text.textValue()));
  }

  private static boolean absentOrShortText(JsonNode node) {
    return node == null || node.isNull() || (node.isTextual() && node.textValue().length() <= MAX_SHORT_FIELD_LENGTH);
  }

  private static void copy(ObjectNode body, String field, JsonNode value) {
    if (value != null) {
      body.set(field, value);
    }
  }

  /** One token, plus one per full KiB of text. */
  private static int cost(String text) {
    return 1 + text.length() / 1024;
  }
}
