package dev.switchboard.spring.handler;

import dev.switchboard.socketio.Event;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link OnEvent} handler and answers the acknowledgement: with the return value, or
 * with an error when the handler failed. Never throws, so the socket stays connected.
 */
final class EventDispatch {
  private static final Logger log = LoggerFactory.getLogger(EventDispatch.class);

  private EventDispatch() {}

  static void handle(HandlerMethod handler, Event event) {
    Object result;
    try {
      result = handler.invoke(HandlerCall.event(event));
    } catch (Throwable failure) {
      fail(handler, event, failure);
      return;
    }
    if (result instanceof CompletionStage<?> stage) {
      stage.whenComplete((value, failure) -> {
        if (failure != null) {
          fail(handler, event, failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
        } else {
          answer(handler, event, value);
        }
      });
    } else {
      answer(handler, event, result);
    }
  }

  private static void answer(HandlerMethod handler, Event event, Object value) {
    if (handler.answersItself() || !event.hasAck()) {
      return;
    }
    Object unwrapped = value instanceof Optional<?> optional ? optional.orElse(null) : value;
    if (unwrapped == null) {
      event.ack();
    } else {
      event.ack(unwrapped);
    }
  }

  private static void fail(HandlerMethod handler, Event event, Throwable failure) {
    if (failure instanceof Error error && !(failure instanceof AssertionError)) {
      throw error;
    }
    if (failure instanceof EventException refused) {
      log.debug("socket {}: \"{}\" answered {}: {}", event.socket().id(), event.name(), refused.code(), refused.getMessage());
      event.ack(ErrorAnswers.of(refused));
      return;
    }
    log.warn("socket {}: \"{}\" failed in {}", event.socket().id(), event.name(), handler, failure);
    event.ack(ErrorAnswers.internal(event.name()));
  }
}
