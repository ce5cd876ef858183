package dev.switchboard.bench.jmh;

import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Room join/leave churn on real sockets of a real server (one event loop, real loopback
 * clients): each operation is one {@code join} or one {@code leave}. {@code onLoop} runs the
 * churn as a task on the sockets' own loop (the inline path a listener takes);
 * {@code fromOtherThread} calls from the benchmark thread (each call becomes a loop task),
 * then waits until the loop has run them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoomChurnBenchmark {
  private static final int SOCKETS = 32;
  private static final int ROUNDS = 8;
  private static final int OPS = SOCKETS * ROUNDS * 2;

  /** How many rooms each socket is already in besides the churned one. */
  @Param({"1", "16"})
  public int residentRooms;

  private SocketIoServer io;
  private HttpServer http;
  private ClientGroup clients;
  private EventLoop loop;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private String[] rooms;

  @Setup(Level.Trial)
  public void setUp() {
    io = SocketIoServer.create();
    io.on("connection", sockets::add);
    http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(1)).build().start();
    loop = http.eventLoops().next();
    clients = new ClientGroup(new int[] {http.port()}, 1, new SourceAddresses(1));
    ConnectionRamp.Result<SioConnection> ramp = new ConnectionRamp(clients).open(SOCKETS, 0, SOCKETS, i -> SioListener.NONE);
    if (ramp.failed() > 0 || ramp.connections().size() != SOCKETS) {
      throw new IllegalStateException("only " + ramp.connections().size() + " of " + SOCKETS + " clients connected");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sockets.size() < SOCKETS && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    for (Socket socket : sockets) {
      for (int r = 0; r < residentRooms; r++) {
        socket.join("resident-" + r);
      }
    }
    rooms = new String[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      rooms[i] = "churn-" + i;
    }
    fence();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    clients.close();
    io.close();
    http.close();
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void onLoop() throws Exception {
    loop.submit(this::churn).get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void fromOtherThread() throws Exception {
    churn();
    fence();
  }

  private void churn() {
    for (String room : rooms) {
      for (Socket socket : sockets) {
        socket.join(room);
      }
      for (Socket socket : sockets) {
        socket.leave(room);
      }
    }
  }

  /** Returns once the loop has run every task queued before it. */
  private void fence() {
    try {
      loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the event loop did not answer", e);
    }
  }
}
