package dev.switchboard.spring.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * A bean whose {@link OnConnect}, {@link OnEvent} and {@link OnDisconnect} methods handle the
 * sockets of one namespace. Classes in the application's packages (those of
 * {@code @SpringBootApplication}) are found and made beans; a {@code @Bean} of such a class works too. Handlers run on virtual threads unless
 * {@code switchboard.virtual-threads=false}, one at a time per socket, so they may block.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SocketController {
  /** The namespace, e.g. {@code "/chat"}; the main namespace {@code "/"} by default. */
  @AliasFor("namespace")
  String value() default "/";

  /** Same as {@link #value()}. */
  @AliasFor("value")
  String namespace() default "/";
}
