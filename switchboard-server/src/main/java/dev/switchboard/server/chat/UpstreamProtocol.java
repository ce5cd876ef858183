package dev.switchboard.server.chat;

import java.net.http.HttpRequest;

/** One model API's streaming dialect: how to ask, and how to read the answer's events. */
interface UpstreamProtocol {
  /** The provider's name, for error messages. */
  String name();

  HttpRequest request(ChatRequest request);

  /**
   * Handles one event of the answer, passing text and the end on to {@code sink}. Returns true
   * once the answer is over (complete or failed).
   */
  boolean event(String name, String data, ChatSink sink);

  /** What to tell the client when the API answered {@code status} with {@code body}. */
  default String httpError(int status, String body) {
    return UpstreamErrors.describe(name() + " answered HTTP " + status, body);
  }
}
