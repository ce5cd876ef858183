package dev.switchboard.spring.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called for each socket that joins the controller's namespace, after its middlewares (the
 * handshake's authentication among them). Parameters: the {@code Socket} and the
 * {@code VerifiedToken} of its user, in any order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnect {
}
