package dev.switchboard.bench.proc;

import dev.switchboard.bench.cli.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A throw-away {@code redis-server} on a free loopback port, without persistence, for the nodes
 * of a cross-node run to share. Ready once it answers {@code PING}; killed on {@link #close}.
 */
public final class RedisProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_SECONDS = 10;

  private final Process process;
  private final int port;

  private RedisProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code --redis-server} (default {@code redis-server} from the PATH). */
  public static RedisProcess start(Options options) {
    String executable = options.text("redis-server", "redis-server");
    int port = FreePort.pick();
    List<String> command = List.of(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no");
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + executable + " (" + e.getMessage()
          + "): cross-node runs need redis-server on the PATH, or --redis-server PATH", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "redis-stop"));
    RedisProcess redis = new RedisProcess(process, port);
    redis.awaitPong();
    return redis;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public ProcStats stats() {
    return new ProcStats(process.pid());
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (answersPing()) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    close();
    throw new IllegalStateException("redis-server did not answer PING on port " + port);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(7);
      return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}
