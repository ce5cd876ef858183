package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A client's signal, read: well formed and ready to relay, or refused with a reason. */
public sealed interface Parsed {
  /**
   * A well-formed signal.
   *
   * @param kind which signal
   * @param to the target's user id; empty when the payload named none, for the connection's current peer
   * @param body the session description or candidate, with its standard fields only (a
   *     {@code null} candidate announces the end of candidates)
   * @param cost the tokens it takes from its connection's budget: one, plus one per full KiB of text
   */
  record Signal(SignalKind kind, Optional<String> to, JsonNode body, int cost) implements Parsed {}

  /** A malformed signal: {@code reason} says what a well-formed one looks like. */
  record Invalid(String reason) implements Parsed {}
}
