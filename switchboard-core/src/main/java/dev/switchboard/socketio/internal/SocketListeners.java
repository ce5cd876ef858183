package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.DisconnectListener;
import dev.switchboard.socketio.EventListener;
import java.util.Arrays;

/**
 * The listeners of one socket as an immutable value: named listeners as two parallel arrays in
 * registration order, then the catch-all, unhandled-event and disconnect listeners. Registration returns a new
 * value (copy-on-write), so dispatch reads one volatile field and iterates plain arrays. Sockets
 * typically carry a handful of listeners, for which a scan is as quick as a lookup.
 */
record SocketListeners(
    String[] names,
    EventListener[] named,
    EventListener[] any,
    EventListener[] unhandled,
    DisconnectListener[] disconnecting,
    DisconnectListener[] disconnect) {

  private static final String[] NO_NAMES = {};
  private static final EventListener[] NO_EVENT_LISTENERS = {};
  private static final DisconnectListener[] NO_DISCONNECT_LISTENERS = {};

  static final SocketListeners NONE = new SocketListeners(
      NO_NAMES, NO_EVENT_LISTENERS, NO_EVENT_LISTENERS, NO_EVENT_LISTENERS, NO_DISCONNECT_LISTENERS, NO_DISCONNECT_LISTENERS);

  SocketListeners withNamed(String event, EventListener listener) {
    return new SocketListeners(append(names, event), append(named, listener), any, unhandled, disconnecting, disconnect);
  }

  /** Without the first registration of {@code listener} for {@code event}; this when there is none. */
  SocketListeners withoutNamed(String event, EventListener listener) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(event) && java.util.Objects.equals(named[i], listener)) {
        return new SocketListeners(remove(names, i), remove(named, i), any, unhandled, disconnecting, disconnect);
      }
    }
    return this;
  }

  SocketListeners withAny(EventListener listener) {
    return new SocketListeners(names, named, append(any, listener), unhandled, disconnecting, disconnect);
  }

  SocketListeners withUnhandled(EventListener listener) {
    return new SocketListeners(names, named, any, append(unhandled, listener), disconnecting, disconnect);
  }

  SocketListeners withDisconnecting(DisconnectListener listener) {
    return new SocketListeners(names, named, any, unhandled, append(disconnecting, listener), disconnect);
  }

  SocketListeners withDisconnect(DisconnectListener listener) {
    return new SocketListeners(names, named, any, unhandled, disconnecting, append(disconnect, listener));
  }

  private static <T> T[] append(T[] array, T element) {
    T[] longer = Arrays.copyOf(array, array.length + 1);
    longer[array.length] = element;
    return longer;
  }

  private static <T> T[] remove(T[] array, int index) {
    T[] shorter = Arrays.copyOf(array, array.length - 1);
    System.arraycopy(array, index + 1, shorter, index, array.length - index - 1);
    return shorter;
  }
}
