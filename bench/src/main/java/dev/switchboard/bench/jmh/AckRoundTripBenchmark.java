package dev.switchboard.bench.jmh;

import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one event with an acknowledgement costs end to end, with its handler on the event loop or
 * on a virtual thread: real loopback clients each send a window of events that the server's
 * handler acknowledges at once, and an operation is one answered event (client and server work
 * together, on one machine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AckRoundTripBenchmark {
  private static final int SOCKETS = 16;
  private static final int WINDOW = 16;
  private static final int OPS = SOCKETS * WINDOW;

  /** Where the handlers run: {@code loop} or {@code virtual}. */
  @Param({"loop", "virtual"})
  public String handlers;

  private SocketIoServer io;
  private HttpServer http;
  private ClientGroup clients;
  private List<SioConnection> connections;
  private volatile CountDownLatch answered;

  @Setup(Level.Trial)
  public void setUp() {
    SocketIoOptions.Builder options = SocketIoOptions.builder();
    if (handlers.equals("virtual")) {
      options.virtualThreadHandlers();
    }
    io = SocketIoServer.create(options.build());
    io.on("connection", socket -> socket.on("echo", event -> event.ack(1)));
    http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(1)).build().start();
    clients = new ClientGroup(new int[] {http.port()}, 1, new SourceAddresses(1));
    SioListener counting = new SioListener() {
      @Override
      public void onAck(SioConnection connection, long ackId, String packet) {
        answered.countDown();
      }
    };
    ConnectionRamp.Result<SioConnection> ramp = new ConnectionRamp(clients).open(SOCKETS, 0, SOCKETS, i -> counting);
    if (ramp.failed() > 0 || ramp.connections().size() != SOCKETS) {
      throw new IllegalStateException("only " + ramp.connections().size() + " of " + SOCKETS + " clients connected");
    }
    connections = ramp.connections();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    clients.close();
    io.close();
    http.close();
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void emitWithAck() throws InterruptedException {
    CountDownLatch all = new CountDownLatch(OPS);
    answered = all;
    for (int i = 0; i < WINDOW; i++) {
      for (SioConnection connection : connections) {
        connection.emitWithAck("echo", "1");
      }
    }
    if (!all.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(all.getCount() + " of " + OPS + " acknowledgements missing");
    }
  }
}
