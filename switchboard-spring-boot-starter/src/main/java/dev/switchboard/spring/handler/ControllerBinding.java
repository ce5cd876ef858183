package dev.switchboard.spring.handler;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of one controller on its namespace: for each connected socket, its event and
 * disconnect handlers are added, then its connect handlers run.
 *
 * @param name the controller's bean name
 * @param connect the {@link OnConnect} handlers
 * @param events the {@link OnEvent} handlers by event name
 * @param disconnect the {@link OnDisconnect} handlers
 */
record ControllerBinding(String name, List<HandlerMethod> connect, Map<String, HandlerMethod> events,
    List<HandlerMethod> disconnect) {
  private static final Logger log = LoggerFactory.getLogger(ControllerBinding.class);

  void bindTo(Namespace namespace) {
    namespace.onConnection(this::onConnection);
  }

  private void onConnection(Socket socket) {
    events.forEach((event, handler) -> socket.on(event, received -> EventDispatch.handle(handler, received)));
    if (!disconnect.isEmpty()) {
      socket.onDisconnect((reason, description) -> {
        for (HandlerMethod handler : disconnect) {
          run(handler, HandlerCall.disconnect(socket, reason));
        }
      });
    }
    for (HandlerMethod handler : connect) {
      run(handler, HandlerCall.connect(socket));
    }
  }

  private static void run(HandlerMethod handler, HandlerCall call) {
    try {
      handler.invoke(call);
    } catch (Throwable failure) {
      if (failure instanceof Error error && !(failure instanceof AssertionError)) {
        throw error;
      }
      log.warn("socket {}: {} failed", call.socket().id(), handler, failure);
    }
  }
}
