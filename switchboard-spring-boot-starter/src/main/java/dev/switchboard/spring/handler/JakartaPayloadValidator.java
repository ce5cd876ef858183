package dev.switchboard.spring.handler;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.core.MethodParameter;
import org.springframework.validation.annotation.Validated;

/** Validates payloads whose parameter is annotated {@code @Valid} or {@code @Validated}, with their groups. */
public final class JakartaPayloadValidator implements PayloadValidator {
  private final Validator validator;

  public JakartaPayloadValidator(Validator validator) {
    this.validator = validator;
  }

  @Override
  public void validate(MethodParameter parameter, Object payload) {
    Validated validated = parameter.getParameterAnnotation(Validated.class);
    if (payload == null || (validated == null && !parameter.hasParameterAnnotation(Valid.class))) {
      return;
    }
    Set<ConstraintViolation<Object>> violations = validated == null ? validator.validate(payload)
        : validator.validate(payload, validated.value());
    if (!violations.isEmpty()) {
      List<InvalidPayloadException.Violation> details = violations.stream()
          .map(violation -> new InvalidPayloadException.Violation(violation.getPropertyPath().toString(), violation.getMessage()))
          .sorted(Comparator.comparing(InvalidPayloadException.Violation::field).thenComparing(InvalidPayloadException.Violation::message))
          .toList();
      throw new InvalidPayloadException("the payload is not valid: " + details.stream()
          .map(violation -> violation.field() + " " + violation.message()).reduce((a, b) -> a + ", " + b).orElse(""), details);
    }
  }
}
