package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.ForwardedPoll;
import java.io.IOException;

/** The JSON of the polling relay: forwarded requests, their answers, and abandons. */
final class PollMessages {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A message on a node's poll channel. */
  sealed interface PollMessage {}

  /** A request node {@code from} received for a session of the node it is sent to. */
  record Forward(String from, ForwardedPoll poll) implements PollMessage {}

  /** The owner's answer to forwarded request {@code pollId}. */
  record Answer(String pollId, ForwardedPoll.Answer answer) implements PollMessage {}

  /** The client of forwarded GET {@code pollId} is gone, or its answer was not delivered. */
  record Abandon(String sessionId, String pollId) implements PollMessage {}

  private PollMessages() {}

  static byte[] forward(String from, ForwardedPoll poll) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("t", "f");
    json.put("id", poll.id());
    json.put("from", from);
    json.put("sid", poll.sessionId());
    json.put("k", poll.kind().name());
    json.put("b", poll.body());
    return write(json);
  }

  static byte[] answer(String pollId, ForwardedPoll.Answer answer) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("t", "a");
    json.put("id", pollId);
    json.put("s", answer.status());
    json.put("c", answer.contentType());
    json.put("b", answer.body());
    return write(json);
  }

  static byte[] abandon(String sessionId, String pollId) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("t", "x");
    json.put("id", pollId);
    json.put("sid", sessionId);
    return write(json);
  }

  static PollMessage read(byte[] bytes) throws IOException {
    JsonNode json = MAPPER.readTree(bytes);
    String id = json.path("id").asText();
    return switch (json.path("t").asText()) {
      case "f" -> {
        ForwardedPoll.Kind kind;
        try {
          kind = ForwardedPoll.Kind.valueOf(json.path("k").asText());
        } catch (IllegalArgumentException e) {
          throw new IOException("unknown poll kind " + json.path("k").asText());
        }
        yield new Forward(json.path("from").asText(), new ForwardedPoll(id, json.path("sid").asText(), kind,
            json.path("b").asText()));
      }
      case "a" -> new Answer(id, new ForwardedPoll.Answer(json.path("s").asInt(), json.path("c").asText(),
          json.path("b").asText()));
      case "x" -> new Abandon(json.path("sid").asText(), id);
      default -> throw new IOException("unknown poll message " + json.path("t").asText());
    };
  }

  private static byte[] write(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a poll message", e);
    }
  }
}
