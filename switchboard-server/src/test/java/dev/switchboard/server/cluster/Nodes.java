package dev.switchboard.server.cluster;

import dev.switchboard.server.SwitchboardApp;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The nodes a cluster test started and the Redis they share; closing stops the nodes, then Redis. */
final class Nodes implements AutoCloseable {
  private final List<SwitchboardApp> started = new CopyOnWriteArrayList<>();
  private AutoCloseable redis;

  /** Takes {@code redis} to stop after the nodes. */
  <R extends AutoCloseable> R redis(R redis) {
    this.redis = redis;
    return redis;
  }

  /** Takes {@code node} to stop at the end. */
  SwitchboardApp add(SwitchboardApp node) {
    started.add(node);
    return node;
  }

  /** Forgets {@code node}, which the test stops itself. */
  void remove(SwitchboardApp node) {
    started.remove(node);
  }

  @Override
  public void close() throws Exception {
    try {
      started.forEach(SwitchboardApp::close);
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }
}
