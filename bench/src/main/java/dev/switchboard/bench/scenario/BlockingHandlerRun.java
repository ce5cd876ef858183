package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A handler that blocks 5 ms (as a database call would) under many clients, its acknowledgement
 * latency with the handler on the event loop and on virtual threads. Each client sends one event
 * with an ack per period, spread evenly; latency counts from the send to the ack, so time spent
 * queued behind other handlers counts too. Usage: {@code clients seconds ratePerSecond}.
 */
public final class BlockingHandlerRun {
  private BlockingHandlerRun() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    for (String mode : List.of("virtual", "loop")) {
      run(mode, clients, seconds, rate);
    }
  }

  private static void run(String mode, int clients, int seconds, int rate) throws Exception {
    SocketIoOptions.Builder options = SocketIoOptions.builder().slowListenerThreshold(java.time.Duration.ZERO);
    if (mode.equals("virtual")) {
      options.virtualThreadHandlers();
    }
    SocketIoServer io = SocketIoServer.create(options.build());
    io.on("connection", socket -> socket.on("work", event -> {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      event.ack(1);
    }));
    HttpServer http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0)).build().start();
    Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    Map<Long, Long> sent = new ConcurrentHashMap<>();
    Counter answered = new Counter();
    SioListener listener = new SioListener() {
      @Override
      public void onAck(SioConnection connection, long ackId, String packet) {
        Long at = sent.remove(key(connection, ackId));
        if (at != null) {
          latency.recordValue(System.nanoTime() - at);
          answered.increment();
        }
      }
    };
    try (ClientGroup group = new ClientGroup(new int[] {http.port()}, 1, new SourceAddresses(1))) {
      ConnectionRamp.Result<SioConnection> ramp = new ConnectionRamp(group).open(clients, 2_000, 200, i -> listener);
      List<SioConnection> connections = ramp.connections();
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      long next = start;
      int i = 0;
      long emitted = 0;
      while (next < end) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        SioConnection connection = connections.get(i++ % connections.size());
        long now = System.nanoTime();
        synchronized (connection) {
          long ackId = connection.emitWithAck("work", "1");
          sent.put(key(connection, ackId), now);
        }
        emitted++;
        next += periodNanos;
      }
      answered.awaitAtLeast(emitted, 30);
      Histogram h = latency.getIntervalHistogram();
      System.out.printf("%-7s clients=%d rate=%d/s for %d s: answered %d of %d; ack latency ms p50=%.1f p99=%.1f p999=%.1f max=%.1f%n",
          mode, connections.size(), rate, seconds, answered.value(), emitted,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
          h.getMaxValue() / 1e6);
    } finally {
      io.close();
      http.close();
    }
  }

  private static long key(SioConnection connection, long ackId) {
    return ((long) System.identityHashCode(connection) << 32) ^ ackId;
  }
}
