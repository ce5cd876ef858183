package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.ServerEvent;
import java.util.concurrent.atomic.AtomicBoolean;

/** An event from another node; every listener of this node shares it, so it answers at most once. */
final class RealServerEvent implements ServerEvent {
  private final String name;
  private final Args args;
  /** Null when the sending node waits for no answer. */
  private final ClusterAcks acks;
  private final AtomicBoolean acked = new AtomicBoolean();

  RealServerEvent(String name, Args args, ClusterAcks acks) {
    this.name = name;
    this.args = args;
    this.acks = acks;
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
    return acks != null;
  }

  @Override
  public void ack(Object... values) {
    if (acks != null && acked.compareAndSet(false, true)) {
      Json.Encoded encoded = Json.encodeArray(null, values);
      acks.answer(encoded.json(), encoded.attachments());
    }
  }

  @Override
  public String toString() {
    return "ServerEvent[" + name + " " + args + (hasAck() ? " ack" : "") + "]";
  }
}
