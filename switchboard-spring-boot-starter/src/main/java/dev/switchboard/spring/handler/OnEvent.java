package dev.switchboard.spring.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles one event of the sockets of the controller's namespace.
 *
 * <p>Parameters, in any order: the {@code Socket}, the {@code VerifiedToken} of its user, an
 * {@link Ack} to answer it, the {@code Event} itself, and the payloads: the event's arguments in
 * order, each bound by Jackson to the parameter's type (a record, say), validated with
 * {@code jakarta.validation} when annotated {@code @Valid}. A payload that does not bind or
 * validate is answered {@code {ok:false, error:{code:"INVALID_REQUEST", message, details}}}.
 *
 * <p>The return value (or the value a returned {@code CompletionStage} completes with) answers the
 * client's acknowledgement, unless the method takes an {@link Ack}. An {@link EventException}
 * answers {@code {ok:false, error:{code, message, details?}}}; any other exception
 * {@code INTERNAL}. The socket stays connected either way.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnEvent {
  /** The event name. */
  String value();
}
