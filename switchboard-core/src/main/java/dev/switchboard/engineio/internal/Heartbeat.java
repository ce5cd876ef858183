package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.internal.EventLoops;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session's heartbeat: a ping every ping interval, and the session closed when its pong does not
 * come within the ping timeout. Loop-confined.
 */
final class Heartbeat {
  private final RealEngineSession session;
  private final EventLoop loop;
  private final EngineIoOptions options;
  private ScheduledFuture<?> pingTask;
  private ScheduledFuture<?> pongTimeoutTask;

  Heartbeat(RealEngineSession session, EventLoop loop, EngineIoOptions options) {
    this.session = session;
    this.loop = loop;
    this.options = options;
  }

  /** Schedules the next ping, one ping interval from now. */
  void start() {
    pingTask = loop.schedule(this::ping, options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  void onPong() {
    EventLoops.cancel(pongTimeoutTask);
    start();
  }

  void stop() {
    EventLoops.cancel(pingTask);
    EventLoops.cancel(pongTimeoutTask);
  }

  private void ping() {
    if (!session.isOpen()) {
      return;
    }
    session.writeControl(EngineCodec.PING, "");
    long timeout = options.pingTimeout().toMillis();
    pongTimeoutTask = loop.schedule(
        () -> session.close(CloseReason.PING_TIMEOUT, "no pong within " + timeout + " ms"), timeout, TimeUnit.MILLISECONDS);
  }
}
