package dev.switchboard.testkit.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of the test's own: three {@code redis-server --cluster-enabled yes} masters on
 * free loopback ports (each with its own directory and cluster config file, no persistence),
 * joined with {@code redis-cli --cluster create}, plus a plain connection to each master for
 * looking at what the nodes subscribed. Everything is stopped and deleted on {@link #close}.
 *
 * <p>Started {@link #withReplicas}, each master has one replica: a shard is then a master and its
 * replica, {@link #kill} takes a shard's master down for good and {@link #awaitFailover} waits for
 * its replica to take over. Methods that take a master's number ({@link #master}, {@link #port},
 * {@link #pause}) mean the shard's master at the time.
 */
public final class RedisClusterProcesses implements AutoCloseable {
  private final Path directory;
  /** Every node's port, process and connection, by node number: the masters first, then their replicas. */
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final RedisClient admin = RedisClient.create();
  private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
  /** Shard to the nodes in it, its master first; changed by a failover. */
  private final List<List<Integer>> shards = new ArrayList<>();
  private Duration nodeTimeout = Duration.ofSeconds(2);

  private RedisClusterProcesses(Path directory) {
    this.directory = directory;
  }

  /** A cluster of {@code masters} masters whose node timeout is 2 s. */
  public static RedisClusterProcesses start(int masters) throws Exception {
    return start(masters, Duration.ofSeconds(2));
  }

  /**
   * A cluster whose masters take one another as failed after {@code nodeTimeout} without an
   * answer (and then the whole cluster refuses commands, as no master has a replica).
   */
  public static RedisClusterProcesses start(int masters, Duration nodeTimeout) throws Exception {
    RedisClusterProcesses cluster = new RedisClusterProcesses(Files.createTempDirectory("redis-cluster-test"));
    cluster.nodeTimeout = nodeTimeout;
    try {
      cluster.startMasters(masters);
      cluster.create();
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * A cluster of {@code masters} masters each with one replica, whose nodes take a silent one as
   * failed after {@code nodeTimeout}: a master's replica takes over its slots when it fails.
   */
  public static RedisClusterProcesses withReplicas(int masters, Duration nodeTimeout) throws Exception {
    RedisClusterProcesses cluster = start(masters, nodeTimeout);
    try {
      cluster.addReplicas();
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** The URI the Switchboard nodes are given: two of the masters as seeds. */
  public String uri() {
    return "redis-cluster://127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
  }

  /** The number of masters (of shards). */
  public int size() {
    return shards.size();
  }

  /** The port of master {@code master} (from 0): the master of that shard now. */
  public int port(int master) {
    return ports.get(masterNode(master));
  }

  /** Commands to one master alone (no redirections): the master of that shard now. */
  public RedisCommands<String, String> master(int master) {
    return connections.get(masterNode(master)).sync();
  }

  private int masterNode(int shard) {
    return shards.get(shard).get(0);
  }

  /**
   * Kills the master of {@code shard} at once (SIGKILL), for good: its replica takes over once the
   * other masters agree it failed ({@link #awaitFailover}).
   */
  public void kill(int shard) throws InterruptedException {
    Process process = processes.get(masterNode(shard));
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Waits for the replica of {@code shard}, whose master was {@link #kill killed}, to be its master
   * and for every live node to serve the whole cluster again; it then stands for the shard.
   */
  public void awaitFailover(int shard, Duration timeout) {
    List<Integer> nodes = shards.get(shard);
    int replica = nodes.get(1);
    RedisCommands<String, String> commands = connections.get(replica).sync();
    await("replica on " + ports.get(replica) + " promoted").atMost(timeout).pollInterval(Duration.ofMillis(10))
        .ignoreExceptions().until(() -> commands.role().get(0).equals("master"));
    nodes.set(1, nodes.get(0));
    nodes.set(0, replica);
    for (List<Integer> each : shards) {
      RedisCommands<String, String> master = connections.get(each.get(0)).sync();
      await("cluster_state:ok on " + ports.get(each.get(0))).atMost(timeout).pollInterval(Duration.ofMillis(10))
          .ignoreExceptions().until(() -> master.clusterInfo().contains("cluster_state:ok"));
    }
  }

  /**
   * Starts the killed former master of {@code shard} again on its port with its cluster config:
   * it rejoins as the replica of the node that took over, so the shard can fail over again.
   */
  public void rejoin(int shard) throws IOException {
    int former = shards.get(shard).get(1);
    processes.set(former, launch(ports.get(former)));
    RedisCommands<String, String> commands = connections.get(former).sync();
    String masterId = connections.get(masterNode(shard)).sync().clusterMyId();
    await("node on " + ports.get(former) + " replicating again").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> commands.info("replication").contains("master_link_status:up")
            && commands.clusterNodes().lines().anyMatch(line -> line.contains("myself") && line.contains(masterId)));
    awaitEveryNodeKnown();
  }

  /** The master that owns {@code slot}. */
  public int ownerOf(int slot) {
    for (int i = 0; i < shards.size(); i++) {
      if (ownsSlot(master(i).clusterNodes(), slot)) {
        return i;
      }
    }
    throw new AssertionError("no master owns slot " + slot);
  }

  private static boolean ownsSlot(String clusterNodes, int slot) {
    String myself = clusterNodes.lines().filter(line -> line.contains("myself")).findFirst().orElseThrow();
    String[] fields = myself.split(" ");
    for (int i = 8; i < fields.length; i++) {
      if (fields[i].startsWith("[")) {
        continue; // a slot being imported or migrated
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

  private void startMasters(int masters) throws IOException {
    for (int i = 0; i < masters; i++) {
      shards.add(new ArrayList<>(List.of(startNode())));
    }
    for (int node = 0; node < ports.size(); node++) {
      connectTo(node);
    }
  }

  /** Starts a node; its number. */
  private int startNode() throws IOException {
    int port = freePortWithFreeBusPort();
    Files.createDirectory(directory.resolve(Integer.toString(port)));
    processes.add(launch(port));
    ports.add(port);
    return ports.size() - 1;
  }

  private void connectTo(int node) {
    int port = ports.get(node);
    await("redis-server on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> connections.add(admin.connect(StringCodec.UTF8, RedisURI.create("127.0.0.1", port))));
  }

  /** One replica per master: it meets the cluster, replicates its master and is known to every node. */
  private void addReplicas() throws IOException {
    for (List<Integer> shard : shards) {
      int replica = startNode();
      connectTo(replica);
      shard.add(replica);
      int master = shard.get(0);
      RedisCommands<String, String> commands = connections.get(replica).sync();
      commands.clusterMeet("127.0.0.1", ports.get(master));
      String masterId = connections.get(master).sync().clusterMyId();
      await("replica on " + ports.get(replica) + " meeting its master").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
          .until(() -> commands.clusterReplicate(masterId).equals("OK"));
      await("replica on " + ports.get(replica) + " replicating").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
          .until(() -> commands.info("replication").contains("master_link_status:up"));
    }
    awaitEveryNodeKnown();
  }

  /** Every live node sees every node of the cluster connected, and the cluster is ok. */
  private void awaitEveryNodeKnown() {
    for (List<Integer> shard : shards) {
      for (int node : shard) {
        if (!processes.get(node).isAlive()) {
          continue;
        }
        RedisCommands<String, String> commands = connections.get(node).sync();
        await("every node known to " + ports.get(node)).atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
            .until(() -> commands.clusterInfo().contains("cluster_state:ok")
                && commands.clusterNodes().lines().filter(line -> line.contains(" connected")).count() == ports.size()
                && commands.clusterNodes().lines().noneMatch(line -> line.contains("fail")));
      }
    }
  }

  /** Stops a master with SIGSTOP: its sockets stay open, it answers nothing until {@link #resume}. */
  public void pause(int master) throws IOException, InterruptedException {
    signal(master, "STOP");
  }

  /** Lets a paused master go on (SIGCONT). */
  public void resume(int master) throws IOException, InterruptedException {
    signal(master, "CONT");
  }

  private void signal(int master, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(processes.get(masterNode(master)).pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " failed");
    }
  }

  /** Kills a master at once (SIGKILL) and starts it again on the same port with its cluster config: same node, same slots, no data. */
  public void restart(int master) throws IOException, InterruptedException {
    int node = masterNode(master);
    Process process = processes.get(node);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    processes.set(node, launch(ports.get(node)));
    awaitClusterOk();
  }

  private Process launch(int port) throws IOException {
    Path dir = directory.resolve(Integer.toString(port));
    return new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
        "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
        .start();
  }

  private void create() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(port -> command.add("127.0.0.1:" + port));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Process create = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve("create.log").toFile()).start();
    if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
      create.destroyForcibly();
      throw new AssertionError("redis-cli --cluster create failed: " + Files.readString(directory.resolve("create.log")));
    }
    awaitClusterOk();
  }

  private void awaitClusterOk() {
    for (int i = 0; i < shards.size(); i++) {
      RedisCommands<String, String> master = master(i);
      await("cluster_state:ok on " + port(i)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
          .ignoreExceptions().until(() -> master.clusterInfo().contains("cluster_state:ok"));
    }
  }

  /** A free port whose cluster bus port (+10000) is free too, and not given to a node already. */
  @SuppressWarnings("try")
  private int freePortWithFreeBusPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        int port = socket.getLocalPort();
        if (port + 10_000 > 65_535 || givenToANode(port)) {
          continue;
        }
        try (ServerSocket bus = new ServerSocket(port + 10_000)) {
          return port;
        } catch (IOException busTaken) {
          // try another
        }
      }
    }
    throw new IOException("no free port with a free cluster bus port");
  }

  /**
   * Whether {@code port} or its bus port is a port or bus port of a node started already: that
   * node may not have bound them yet, and the operating system may offer them again.
   */
  private boolean givenToANode(int port) {
    for (int given : ports) {
      if (port == given || port == given + 10_000 || port + 10_000 == given) {
        return true;
      }
    }
    return false;
  }

  /** Stops every master and deletes their directories. */
  @Override
  public void close() throws IOException {
    connections.forEach(StatefulRedisConnection::close);
    admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    for (Process process : processes) {
      process.destroyForcibly();
    }
    try {
      for (Process process : processes) {
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }
}
