package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.bench.load.RunInfo;
import dev.switchboard.bench.proc.Peer;
import dev.switchboard.bench.proc.ProcStats;
import dev.switchboard.bench.proc.ServerProcess;

/** The server under test (a child process) and the client loops pointed at it. */
final class Target implements AutoCloseable {
  final ServerProcess server;
  final ClientGroup clients;
  final ProcStats stats;
  private final int clientThreads;
  private final int sources;

  private Target(ServerProcess server, int clientThreads, int sources) {
    this.server = server;
    this.clientThreads = clientThreads;
    this.sources = sources;
    this.clients = new ClientGroup(server.port(), clientThreads, new SourceAddresses(sources));
    this.stats = server.stats();
  }

  static Target start(Options options) {
    Peer peer = Peer.named(options.text("peer", "switchboard"));
    ServerProcess server = ServerProcess.start(peer, options);
    try {
      return new Target(server, options.integer("client-threads", 1), options.integer("sources", 8));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  ConnectionRamp ramp() {
    return new ConnectionRamp(clients);
  }

  /** The common fields: scenario, peer, time, machine, client set-up. */
  JsonLine header(String scenario) {
    return RunInfo.header(scenario, server.peer().label())
        .put("clientThreads", clientThreads)
        .put("sourceAddresses", sources);
  }

  @Override
  public void close() {
    try {
      clients.close();
    } finally {
      server.close();
    }
  }
}
