package dev.switchboard.interop;

import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;

/**
 * The server the recovery script talks to: connection state recovery on, with a short
 * maxDisconnectionDuration so the script can also outlast it, and a small byte budget so it can
 * also overflow it.
 *
 * <ul>
 *   <li>{@code join(room)} joins, acks {@code "ok"};</li>
 *   <li>{@code publish(room, value)} broadcasts {@code msg(value)} to the room, acks once sent;</li>
 *   <li>{@code direct(value)} emits {@code direct(value)} back to the sender only;</li>
 *   <li>{@code members(room)} acks the ids of the room's sockets;</li>
 *   <li>{@code state()} acks {@code {recovered, rooms, data}} of the calling socket; every new
 *       socket gets {@code data.first = its id}.</li>
 * </ul>
 */
public final class RecoveryContract {
  public static final Duration MAX_DISCONNECTION = Duration.ofMillis(1500);
  /** Bytes of packets kept for recovery: a few 100 KB messages push older ones out. */
  public static final long MAX_BYTES = 256 * 1024;

  private RecoveryContract() {}

  public static SocketIoOptions options() {
    return SocketIoOptions.builder()
        .connectionStateRecovery(new ConnectionStateRecovery(MAX_DISCONNECTION, true, MAX_BYTES))
        .build();
  }

  public static void install(SocketIoServer io) {
    io.on("connection", socket -> {
      socket.data().putIfAbsent("first", socket.id());
      socket.on("join", event -> {
        socket.join(event.args().text(0));
        event.ack("ok");
      });
      socket.on("publish", event -> {
        io.to(event.args().text(0)).emit("msg", event.args().get(1));
        event.ack("sent");
      });
      socket.on("direct", event -> socket.emit("direct", event.args().get(0)));
      socket.on("members", event -> io.in(event.args().text(0)).fetchSockets()
          .thenAccept(found -> event.ack(found.stream().map(s -> s.id()).toList())));
      socket.on("state", event -> event.ack(java.util.Map.of(
          "recovered", socket.recovered(),
          "rooms", socket.rooms().stream().sorted().toList(),
          "data", socket.data())));
    });
  }
}
