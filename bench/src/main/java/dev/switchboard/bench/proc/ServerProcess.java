package dev.switchboard.bench.proc;

import dev.switchboard.bench.cli.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server under test, run as a child process on a free loopback port so its pid (and so its
 * CPU time and memory) is known. Ready once it printed {@code ready <port>}.
 */
public final class ServerProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_SECONDS = 60;

  private final Peer peer;
  private final Process process;
  private final int port;

  private ServerProcess(Peer peer, Process process, int port) {
    this.peer = peer;
    this.process = process;
    this.port = port;
  }

  /** Starts a node of {@code peer}; {@code redisUri} (empty for none) joins it to a cluster. */
  public static ServerProcess start(Peer peer, Options options, String redisUri) {
    int port = FreePort.pick();
    List<String> command = new ArrayList<>();
    CorePinning.of(options).ifPresent(pinning -> command.addAll(pinning.serverPrefix()));
    command.addAll(peer.command(port, options, redisUri));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + peer.label() + ": " + builder.command(), e);
    }
    ServerProcess server = new ServerProcess(peer, process, port);
    // An interrupted run (Ctrl-C) must not leave the server behind.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "server-stop"));
    server.awaitReady();
    return server;
  }

  private void awaitReady() {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("ready ")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // the process ended; the future below reports it
      }
      ready.completeExceptionally(new IllegalStateException(peer.label() + " exited before it was ready"));
    }, "server-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting " + peer.label(), e);
    } catch (ExecutionException | TimeoutException e) {
      close();
      throw new IllegalStateException(peer.label() + " did not become ready: " + e.getMessage(), e);
    }
  }

  public Peer peer() {
    return peer;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public ProcStats stats() {
    return new ProcStats(process.pid());
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL when it has not ended within five seconds. */
  @Override
  public void close() {
    Processes.stop(process);
  }
}
