package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;
import java.util.List;

/** Idle connections opened by this process's {@link ClientGroup}, round-robin over its nodes. */
final class LocalIdleClients implements IdleClients {
  private final ClientGroup group;
  private final int count;
  private final double perSecond;
  private final int maxPending;
  private final Counter closed = new Counter();
  private List<SioConnection> connections = List.of();
  private int[] pingsAtHold = new int[0];
  private IdleTally ramped;

  LocalIdleClients(ClientGroup group, int count, double perSecond, int maxPending) {
    this.group = group;
    this.count = count;
    this.perSecond = perSecond;
    this.maxPending = maxPending;
  }

  @Override
  public IdleTally ramp() {
    SioListener listener = new SioListener() {
      @Override
      public void onClose(SioConnection connection) {
        closed.increment();
      }
    };
    ConnectionRamp.Result<SioConnection> result = new ConnectionRamp(group).open(count, perSecond, maxPending, i -> listener);
    connections = result.connections();
    long[] byNode = new long[group.nodes()];
    for (SioConnection connection : connections) {
      byNode[connection.node()]++;
    }
    ramped = new IdleTally(connections.size(), result.failed(), byNode, 0, 0, 0, 0, result.elapsedNanos() / 1e9);
    return tally();
  }

  @Override
  public void holdStarts() {
    int[] snapshot = new int[connections.size()];
    for (int i = 0; i < snapshot.length; i++) {
      snapshot[i] = connections.get(i).pings();
    }
    pingsAtHold = snapshot;
  }

  @Override
  public IdleTally tally() {
    long open = 0;
    long pinged = 0;
    long pings = 0;
    for (int i = 0; i < connections.size(); i++) {
      SioConnection connection = connections.get(i);
      if (connection.isOpen()) {
        open++;
      }
      int since = i < pingsAtHold.length ? connection.pings() - pingsAtHold[i] : 0;
      if (since > 0) {
        pinged++;
        pings += since;
      }
    }
    return new IdleTally(ramped.connected(), ramped.failed(), ramped.connectedByNode(), open, closed.value(),
        pinged, pings, ramped.rampSeconds());
  }

  /** The group is its owner's to close. */
  @Override
  public void close() {}
}
