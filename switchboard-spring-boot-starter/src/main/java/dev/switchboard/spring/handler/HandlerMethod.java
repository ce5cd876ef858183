package dev.switchboard.spring.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.core.MethodParameter;
import org.springframework.util.ReflectionUtils;

/** One annotated method of a controller, with the sources of its parameters worked out once. */
final class HandlerMethod {
  private final Object bean;
  private final Method method;
  private final List<Function<HandlerCall, Object>> parameters;
  private final boolean answersItself;
  private final HandlerScope scope;

  HandlerMethod(Object bean, Method method, ObjectMapper mapper, PayloadValidator validator, HandlerScope scope) {
    this.bean = bean;
    this.method = method;
    this.scope = scope;
    ReflectionUtils.makeAccessible(method);
    List<Function<HandlerCall, Object>> sources = new ArrayList<>();
    boolean ack = false;
    int payloads = 0;
    for (int i = 0; i < method.getParameterCount(); i++) {
      MethodParameter parameter = new MethodParameter(method, i);
      Class<?> type = parameter.getParameterType();
      if (type == Socket.class) {
        sources.add(HandlerCall::socket);
      } else if (type == VerifiedToken.class) {
        sources.add(call -> SocketAuthentication.principal(call.socket()).orElseThrow(() ->
            new EventException(AuthError.AUTH_REQUIRED.name(), AuthError.AUTH_REQUIRED.defaultMessage())));
      } else if (type == DisconnectReason.class) {
        sources.add(call -> call.reason().orElseThrow(() -> misplaced(parameter)));
      } else if (type == Event.class) {
        ack = true;
        sources.add(call -> call.event().orElseThrow(() -> misplaced(parameter)));
      } else if (type == Ack.class) {
        ack = true;
        sources.add(call -> {
          Event event = call.event().orElseThrow(() -> misplaced(parameter));
          return (Ack) event::ack;
        });
      } else {
        sources.add(payload(parameter, payloads++, mapper, validator));
      }
    }
    this.parameters = List.copyOf(sources);
    this.answersItself = ack;
  }

  private static Function<HandlerCall, Object> payload(MethodParameter parameter, int index, ObjectMapper mapper,
      PayloadValidator validator) {
    JavaType type = mapper.constructType(parameter.getGenericParameterType());
    return call -> {
      Event event = call.event().orElseThrow(() -> misplaced(parameter));
      JsonNode node = event.args().get(index);
      if (node.isMissingNode()) {
        throw new InvalidPayloadException("expected a payload at index " + index + " (there are " + event.args().size() + ")",
            List.of(new InvalidPayloadException.Violation("", "missing")));
      }
      Object payload;
      try {
        payload = mapper.treeToValue(node, type);
      } catch (JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? mapping.getPath().stream()
            .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : String.valueOf(reference.getIndex()))
            .collect(Collectors.joining(".")) : "";
        throw new InvalidPayloadException("payload " + index + " is not a " + type.getRawClass().getSimpleName() + ": "
            + e.getOriginalMessage(), List.of(new InvalidPayloadException.Violation(field, e.getOriginalMessage())));
      }
      validator.validate(parameter, payload);
      return payload;
    };
  }

  private static IllegalStateException misplaced(MethodParameter parameter) {
    return new IllegalStateException(parameter + " has no value for this kind of handler");
  }

  /** Whether the method answers the acknowledgement itself (it takes an {@link Ack} or the {@link Event}). */
  boolean answersItself() {
    return answersItself;
  }

  /** Calls the method; what it throws is thrown unwrapped. */
  Object invoke(HandlerCall call) throws Throwable {
    Object[] args = new Object[parameters.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = parameters.get(i).apply(call);
    }
    return scope.run(call.socket(), () -> {
      try {
        return method.invoke(bean, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  @Override
  public String toString() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}
