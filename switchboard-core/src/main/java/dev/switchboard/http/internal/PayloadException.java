package dev.switchboard.http.internal;

/** A message whose payload breaks the rules of its protocol (a Socket.IO packet, its JSON, an attachment placeholder). */
public class PayloadException extends RuntimeException {
  public PayloadException(String message) {
    super(message, null, false, false);
  }
}
