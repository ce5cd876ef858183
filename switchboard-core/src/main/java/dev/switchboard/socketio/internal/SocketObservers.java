package dev.switchboard.socketio.internal;

import dev.switchboard.engineio.Transport;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of one server. {@link #current()} is null while there is none, so that the paths
 * taken per event pay one volatile read and a null check; an observer that throws is logged and
 * does not disturb the socket.
 */
final class SocketObservers {
  private static final Logger log = LoggerFactory.getLogger(SocketObservers.class);

  private final CopyOnWriteArrayList<SocketObserver> all = new CopyOnWriteArrayList<>();
  private volatile SocketObserver current;

  /** The observer to tell, or null when none is registered. */
  SocketObserver current() {
    return current;
  }

  /** Adds {@code observer}; running the answer removes it. */
  Runnable add(SocketObserver observer) {
    all.add(java.util.Objects.requireNonNull(observer, "observer"));
    refresh();
    return () -> {
      all.remove(observer);
      refresh();
    };
  }

  private synchronized void refresh() {
    List<SocketObserver> now = List.copyOf(all);
    current = now.isEmpty() ? null : new Guarded(now);
  }

  /** Tells each observer in turn, each failure logged apart. */
  private record Guarded(List<SocketObserver> observers) implements SocketObserver {
    @Override
    public void connected(Socket socket) {
      each(o -> o.connected(socket));
    }

    @Override
    public void upgraded(Socket socket, Transport transport) {
      each(o -> o.upgraded(socket, transport));
    }

    @Override
    public void joined(Socket socket, String room) {
      each(o -> o.joined(socket, room));
    }

    @Override
    public void left(Socket socket, String room) {
      each(o -> o.left(socket, room));
    }

    @Override
    public void received(Socket socket, String event, Args args) {
      each(o -> o.received(socket, event, args));
    }

    @Override
    public void sent(Socket socket, String event, Object[] args) {
      each(o -> o.sent(socket, event, args));
    }

    @Override
    public void disconnected(Socket socket, DisconnectReason reason) {
      each(o -> o.disconnected(socket, reason));
    }

    private void each(java.util.function.Consumer<SocketObserver> call) {
      for (SocketObserver observer : observers) {
        try {
          call.accept(observer);
        } catch (RuntimeException e) {
          log.warn("socket observer {} failed", observer, e);
        }
      }
    }
  }
}
