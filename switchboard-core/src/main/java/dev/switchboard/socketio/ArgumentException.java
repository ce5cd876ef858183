package dev.switchboard.socketio;

/**
 * An event's argument that is missing or does not bind to the asked type, thrown by
 * {@link Args#get(int, Class)}, {@link Args#text} and {@link Args#bytes}. A listener that lets it escape answers the client's pending
 * acknowledgement with {@code {ok:false, error:{code:"INVALID_ARGUMENT", message}}}.
 */
public final class ArgumentException extends IllegalArgumentException {
  public ArgumentException(String message) {
    super(message);
  }

  public ArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
