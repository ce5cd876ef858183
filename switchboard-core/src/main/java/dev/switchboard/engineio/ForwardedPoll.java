package dev.switchboard.engineio;

import java.util.Objects;

/**
 * A long-polling request as it travels to the node that owns its session.
 *
 * @param id unique among the requests of all nodes; names the request in answers and abandons
 * @param sessionId the Engine.IO session id ({@code sid})
 * @param kind what the request is
 * @param body the POST body (a payload of packets); empty otherwise
 */
public record ForwardedPoll(String id, String sessionId, Kind kind, String body) {
  /** The requests a polling client makes. */
  public enum Kind {
    /** A long poll: the answer carries the packets waiting for the client. */
    GET,
    /** Packets from the client: the answer is {@code ok} or an error. */
    POST,
    /** A POST refused for exceeding the size limit: the session ends; nobody waits for the answer. */
    OVERSIZED
  }

  public ForwardedPoll {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(body, "body");
  }

  /**
   * The owner's answer, which the receiving node sends as its HTTP response (with its own CORS
   * headers).
   *
   * @param status the HTTP status code
   * @param contentType the content type of {@code body}
   * @param body the response body (polling payloads and errors are text)
   */
  public record Answer(int status, String contentType, String body) {
    public Answer {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }
}
