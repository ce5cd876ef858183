package dev.switchboard.spring.handler;

import org.springframework.core.MethodParameter;

/** Validates a bound payload; {@link InvalidPayloadException} when it is not valid. */
@FunctionalInterface
public interface PayloadValidator {
  /** Validates nothing: {@code jakarta.validation} is not on the class path. */
  PayloadValidator NONE = (parameter, payload) -> { };

  void validate(MethodParameter parameter, Object payload);
}
