package dev.switchboard.engineio.internal;

/** Thrown by {@link EngineCodec} for bytes that are not a valid Engine.IO v4 packet or payload. */
public final class EngineProtocolException extends RuntimeException {
  public EngineProtocolException(String message) {
    super(message, null, false, false);
  }
}
