package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.LoopCounter;
import dev.switchboard.http.internal.Meters;
import dev.switchboard.rooms.internal.DeliveryCounts;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * What one Socket.IO server counts, and the meters reading it: events in and out, deliveries,
 * refused events, recoveries, and per namespace its sockets and rooms. A dynamic namespace family
 * is one namespace here (its pattern is the tag), so that clients choosing names cannot grow the
 * number of series.
 */
public final class SocketIoMeters implements AutoCloseable {
  private final Meters meters;
  private final DeliveryCounts deliveries = new DeliveryCounts();
  private final LoopCounter eventsReceived = new LoopCounter();
  private final LoopCounter eventsSent = new LoopCounter();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder recovered = new LongAdder();
  private final LongAdder notRecovered = new LongAdder();
  private final Set<String> namespaceTags = ConcurrentHashMap.newKeySet();

  SocketIoMeters(Meters meters) {
    this.meters = meters;
  }

  /** Where the server registers its meters. */
  public Meters meters() {
    return meters;
  }

  DeliveryCounts deliveries() {
    return deliveries;
  }

  /** A client sent an event. */
  void received() {
    eventsReceived.increment();
  }

  /** The server emitted an event: to one socket, or as one broadcast whatever its reach. */
  void sent() {
    eventsSent.increment();
  }

  void rateLimited() {
    rateLimited.increment();
  }

  /** A client asking for connection state recovery got its session back, or a fresh one. */
  void recovery(boolean success) {
    (success ? recovered : notRecovered).increment();
  }

  /** Events clients sent so far. */
  public long eventsReceived() {
    return eventsReceived.sum();
  }

  /** Events emitted so far (a broadcast once). */
  public long eventsSent() {
    return eventsSent.sum();
  }

  /** Registers the server-wide meters. */
  void bind() {
    meters.counter("switchboard.events.received", "", "Events clients sent (acknowledgements not counted).",
        eventsReceived, LoopCounter::sum);
    meters.counter("switchboard.events.sent", "",
        "Events this node emitted: each emit to a socket, and each broadcast once however many it reaches.",
        eventsSent, LoopCounter::sum);
    meters.counter("switchboard.deliveries", "",
        "Broadcast packets handed to room members (sockets and SSE streams) on this node, other nodes' broadcasts included.",
        deliveries, DeliveryCounts::deliveries);
    meters.counter("switchboard.volatile.dropped", "",
        "Volatile broadcasts a member dropped because it could not send them at once.", deliveries, DeliveryCounts::volatileDrops);
    meters.counter("switchboard.events.rate.limited", "",
        "Events refused with RATE_LIMITED (per-socket, per-event or per-user rate limits).", rateLimited, LongAdder::sum);
    meters.counter("switchboard.recoveries", "", "Connection state recoveries asked for, by result.",
        recovered, LongAdder::sum, "result", "recovered");
    meters.counter("switchboard.recoveries", "", "Connection state recoveries asked for, by result.",
        notRecovered, LongAdder::sum, "result", "failed");
  }

  /**
   * Registers the gauges of namespaces tagged {@code tag} (a static namespace's name, or a dynamic
   * family's pattern), once per tag: each sums over the server's namespaces of that tag.
   */
  void namespace(String tag, ServerContext server) {
    if (meters.on() && namespaceTags.add(tag)) {
      meters.gauge("switchboard.sockets", "", "Connected Socket.IO sockets, by namespace (a dynamic family by its pattern).",
          server, s -> sum(s, tag, nsp -> nsp.sockets().size()), "namespace", tag);
      meters.gauge("switchboard.rooms", "",
          "Rooms with members on this node, by namespace; each socket's own room is not counted.",
          server, s -> sum(s, tag, nsp -> nsp.adapter().roomCount()), "namespace", tag);
    }
  }

  private static double sum(ServerContext server, String tag, ToIntFunction<RealNamespace> value) {
    int sum = 0;
    for (RealNamespace nsp : server.namespaces()) {
      if (nsp.meterTag().equals(tag)) {
        sum += value.applyAsInt(nsp);
      }
    }
    return sum;
  }

  @Override
  public void close() {
    meters.close();
  }
}
