package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioListener;

/** The publishing connection of a fan-out, always on the first node. */
final class Publisher {
  private Publisher() {}

  static SioConnection connect(Target target) {
    ConnectionRamp.Result<SioConnection> publishers = target.ramp().open(1, 0, 1, i -> SioListener.NONE);
    if (publishers.connections().isEmpty()) {
      throw new IllegalStateException("the publisher could not connect");
    }
    return publishers.connections().get(0);
  }
}
