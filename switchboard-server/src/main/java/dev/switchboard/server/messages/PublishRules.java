package dev.switchboard.server.messages;

import dev.switchboard.rooms.ReservedEvents;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a message published into rooms must satisfy, whoever publishes it (a member with
 * {@code room:publish}, a backend through the server API): its event name and message id.
 */
public final class PublishRules {
  /** Longest event name accepted in a publish. */
  public static final int MAX_EVENT_LENGTH = 100;
  /** Longest message id accepted for de-duplication. */
  public static final int MAX_MESSAGE_ID_LENGTH = 128;
  /** Event names travel in SSE {@code event:} lines too, so they hold no control characters. */
  private static final Pattern EVENT_NAME = Pattern.compile("[^\\p{Cntrl}]{1," + MAX_EVENT_LENGTH + "}");

  /** The problem with a message, with a stable code. */
  public record Problem(String code, String message) {}

  private PublishRules() {}

  /**
   * Empty when {@code event} may be published: 1 to {@link #MAX_EVENT_LENGTH} characters, no
   * control characters, and none of {@code reserved} (the protocol's names and those the server
   * sends on its own); an {@code INVALID_EVENT} problem otherwise.
   */
  public static Optional<Problem> checkEvent(String event, Set<String> reserved) {
    if (!EVENT_NAME.matcher(event).matches() || reserved.contains(event)) {
      return Optional.of(new Problem("INVALID_EVENT", "event must be a non-reserved name of 1 to " + MAX_EVENT_LENGTH
          + " characters, without control characters"));
    }
    return Optional.empty();
  }

  /** The names a publish may not carry: {@link ReservedEvents#ALL} and {@code serverEvents}, sent by this server on its own. */
  public static Set<String> reserved(Set<String> serverEvents) {
    return ReservedEvents.with(serverEvents);
  }

  /** Empty when {@code id} is a usable message id; an {@code INVALID_REQUEST} problem otherwise. */
  public static Optional<Problem> checkId(String id) {
    if (id.isEmpty() || id.length() > MAX_MESSAGE_ID_LENGTH) {
      return Optional.of(new Problem("INVALID_REQUEST", "id must be a string of 1 to " + MAX_MESSAGE_ID_LENGTH + " characters"));
    }
    return Optional.empty();
  }
}
