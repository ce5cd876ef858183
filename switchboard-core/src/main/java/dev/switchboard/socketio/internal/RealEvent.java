package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;

/**
 * An inbound event; acknowledges at most once, from any thread (the answer is written on the
 * socket's loop). Made on the socket's loop, where one with an ack counts as owed until answered.
 */
final class RealEvent implements Event {
  private final RealSocket socket;
  private final String name;
  private final Args args;
  private final long ackId;
  private boolean acked;

  RealEvent(RealSocket socket, String name, Args args, long ackId) {
    this.socket = socket;
    this.name = name;
    this.args = args;
    this.ackId = ackId;
    if (ackId >= 0) {
      socket.acks().owe();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Args args() {
    return args;
  }

  @Override
  public boolean hasAck() {
    return ackId >= 0;
  }

  @Override
  public synchronized void ack(Object... values) {
    if (ackId < 0 || acked) {
      return;
    }
    acked = true;
    SioEncoder.Encoded answer = socket.realNamespace().server().encoder().ack(socket.realNamespace().name(), ackId, values);
    socket.onLoop(() -> {
      socket.acks().paid();
      socket.client().write(answer);
    });
  }

  @Override
  public Socket socket() {
    return socket;
  }

  @Override
  public String toString() {
    return "Event[" + name + " " + args + (hasAck() ? " ack=" + ackId : "") + "]";
  }
}
