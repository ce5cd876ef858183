package dev.switchboard.spring.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once a socket of the controller's namespace has disconnected, whatever the reason.
 * Parameters: the {@code Socket}, its {@code VerifiedToken}, the {@code DisconnectReason}, in any order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnect {
}
