package dev.switchboard.bench.proc;

import dev.switchboard.bench.cli.Options;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A throw-away Redis Cluster of three masters each with a replica ({@code redis-cli --cluster
 * create --cluster-replicas 1}), without persistence, whose nodes take a silent one as failed after
 * {@code --node-timeout-ms} (default 1000): a master can be killed and its replica promoted.
 */
public final class RedisClusterProcess implements AutoCloseable {
  private static final int NODES = 6;

  private final Path directory;
  private final String executable;
  private final Duration nodeTimeout;
  private final Map<Integer, Process> processes = new LinkedHashMap<>();
  private final RedisClient admin = RedisClient.create();
  private final Map<Integer, StatefulRedisConnection<String, String>> connections = new LinkedHashMap<>();

  private RedisClusterProcess(Path directory, String executable, Duration nodeTimeout) {
    this.directory = directory;
    this.executable = executable;
    this.nodeTimeout = nodeTimeout;
  }

  /** Starts the six nodes and makes them a cluster; {@code --redis-server} names the executable. */
  public static RedisClusterProcess start(Options options) {
    try {
      RedisClusterProcess cluster = new RedisClusterProcess(Files.createTempDirectory("bench-redis-cluster"),
          options.text("redis-server", "redis-server"), Duration.ofMillis(options.integer("node-timeout-ms", 1000)));
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-stop"));
      cluster.create(options.text("redis-cli", "redis-cli"));
      return cluster;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a Redis Cluster: " + e.getMessage(), e);
    }
  }

  private void create(String cli) throws IOException {
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    for (int i = 0; i < NODES; i++) {
      int port = FreePort.pickWithBusPort();
      launch(port);
      command.add("127.0.0.1:" + port);
    }
    for (int port : processes.keySet()) {
      awaitTrue("redis-server on " + port, Duration.ofSeconds(10), () -> {
        connections.put(port, admin.connect(StringCodec.UTF8, RedisURI.create("127.0.0.1", port)));
        return true;
      });
    }
    command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    Process create = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve("create.log").toFile()).start();
    try {
      if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(directory.resolve("create.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    awaitSettled();
  }

  private void launch(int port) throws IOException {
    Path dir = directory.resolve(Integer.toString(port));
    Files.createDirectories(dir);
    processes.put(port, new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()), "--dir", dir.toString(),
        "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
        .start());
  }

  /** Every live node sees all six connected, none failed, the cluster ok and every replica in sync. */
  private void awaitSettled() {
    for (int port : processes.keySet()) {
      RedisCommands<String, String> node = connections.get(port).sync();
      awaitTrue("cluster settled on " + port, Duration.ofSeconds(60), () -> node.clusterInfo().contains("cluster_state:ok")
          && node.clusterNodes().lines().filter(line -> line.contains(" connected")).count() == NODES
          && node.clusterNodes().lines().noneMatch(line -> line.contains("fail"))
          && (node.role().get(0).equals("master") || node.info("replication").contains("master_link_status:up")));
    }
  }

  /** {@code redis-cluster://} with every node as a seed. */
  public String uri() {
    StringBuilder uri = new StringBuilder("redis-cluster://");
    processes.keySet().forEach(port -> uri.append(uri.length() > 16 ? "," : "").append("127.0.0.1:").append(port));
    return uri.toString();
  }

  /** The port of the master owning {@code slot} now. */
  public int masterOf(int slot) {
    for (int port : processes.keySet()) {
      Optional<String> myself = myself(port);
      if (myself.isPresent() && myself.get().contains("master") && owns(myself.get(), slot)) {
        return port;
      }
    }
    throw new IllegalStateException("no master owns slot " + slot);
  }

  /** The port of the replica of the master on {@code masterPort}. */
  public int replicaOf(int masterPort) {
    String masterId = connections.get(masterPort).sync().clusterMyId();
    for (int port : processes.keySet()) {
      if (port != masterPort && myself(port).filter(line -> line.contains("slave") && line.contains(masterId)).isPresent()) {
        return port;
      }
    }
    throw new IllegalStateException("the master on " + masterPort + " has no replica");
  }

  /** Kills the node on {@code port} at once (SIGKILL). */
  public void kill(int port) {
    Processes.kill(processes.get(port));
  }

  /** Waits up to {@code timeout} for the node on {@code port} to be a master. */
  public void awaitMaster(int port, Duration timeout) {
    RedisCommands<String, String> node = connections.get(port).sync();
    awaitTrue("node on " + port + " promoted", timeout, () -> node.role().get(0).equals("master"));
  }

  /** Starts the killed node on {@code port} again: it rejoins as a replica of the node that took its slots. */
  public void rejoin(int port) throws IOException {
    launch(port);
    awaitSettled();
  }

  private Optional<String> myself(int port) {
    try {
      return connections.get(port).sync().clusterNodes().lines().filter(line -> line.contains("myself")).findFirst();
    } catch (RuntimeException down) {
      return Optional.empty();
    }
  }

  private static boolean owns(String line, int slot) {
    String[] fields = line.split(" ");
    for (int i = 8; i < fields.length; i++) {
      if (fields[i].startsWith("[")) {
        continue;
      }
      String[] range = fields[i].split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // asked again
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new IllegalStateException(what + ": not within " + timeout);
  }

  @Override
  public synchronized void close() {
    connections.values().forEach(connection -> {
      try {
        connection.close();
      } catch (RuntimeException e) {
        // closing anyway
      }
    });
    connections.clear();
    admin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    processes.values().forEach(Process::destroyForcibly);
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
