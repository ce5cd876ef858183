package dev.switchboard.server.chat;

/** A chat request body that cannot be served; answered 400 with {@code {code, message}}. */
public final class InvalidChatRequest extends Exception {
  private final String code;

  public InvalidChatRequest(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
