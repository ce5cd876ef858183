package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.http.internal.Json;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterBroadcast;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Delivers another node's broadcast that asks for acknowledgements to this node's members and
 * passes their answers back: first how many sockets it reached, then each answer as it comes.
 * At the timeout the sockets that did not answer forget the acknowledgement id.
 */
final class AckRelay {
  private AckRelay() {}

  static void deliver(RealNamespace nsp, ClusterBroadcast message, Object[] args, Duration timeout, ClusterAcks acks) {
    BroadcastTarget target = new BroadcastTarget(Set.copyOf(message.rooms()), message.except(), true,
        message.volatileDelivery());
    long ackId = nsp.nextAckId();
    SioEncoder.Encoded packet = nsp.server().encoder().event(nsp.name(), message.event(), args, ackId);
    Queue<RealSocket> reached = new ConcurrentLinkedQueue<>();
    nsp.adapter().apply(target, socket -> {
      socket.expectAck(ackId, answer -> {
        Json.Encoded encoded = Json.encodeArray(null, answer.toArray());
        acks.answer(encoded.json(), encoded.attachments());
      });
      reached.add(socket);
      socket.writeShared(packet, message.volatileDelivery());
    }).whenComplete((count, error) -> {
      packet.packet().release();
      acks.reached(count == null ? 0 : count);
    });
    GlobalEventExecutor.INSTANCE.schedule(() -> {
      for (RealSocket socket : reached) {
        socket.client().session().executor().execute(() -> socket.forgetAck(ackId));
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
