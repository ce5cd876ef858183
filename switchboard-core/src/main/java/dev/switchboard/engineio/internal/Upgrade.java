package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.Transport;
import dev.switchboard.http.internal.EventLoops;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade of a polling session to WebSocket: the probe's ping is answered with a pong, and the
 * client's upgrade packet then makes the probe the session's transport; anything else, the probe
 * closing or the upgrade timeout cancels it. A server-side close that comes while the client has
 * paused polling for the upgrade waits for it to end. Loop-confined.
 */
final class Upgrade {
  private static final Logger log = LoggerFactory.getLogger(Upgrade.class);
  /** While an upgrade's probe is answered, how often a waiting poll gets a noop (as in Node). */
  private static final long CHECK_MS = 100;

  private final RealEngineSession session;
  private final EventLoop loop;
  private final EngineIoOptions options;
  private final PollingQueue polling;
  private WebSocketTransport probe;
  /** Whether the probe's ping was answered: the client pauses polling and sends its upgrade packet next. */
  private boolean probed;
  private ScheduledFuture<?> timeoutTask;
  private ScheduledFuture<?> checkTask;
  /** A server-side close asked for while an answered probe awaits its upgrade packet; else null. */
  private CloseReason closeAfter;
  private String closeAfterDescription;

  Upgrade(RealEngineSession session, EventLoop loop, EngineIoOptions options, PollingQueue polling) {
    this.session = session;
    this.loop = loop;
    this.options = options;
    this.polling = polling;
  }

  /** Starts probing {@code ws}; false when an upgrade is already under way. */
  boolean begin(WebSocketTransport ws) {
    if (probe != null) {
      return false;
    }
    probe = ws;
    probed = false;
    timeoutTask = loop.schedule(() -> {
      log.debug("session {}: upgrade timed out", session.id());
      cancel();
    }, options.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  boolean isProbe(WebSocketTransport ws) {
    return ws == probe;
  }

  boolean probed() {
    return probed;
  }

  /** Stops waiting for the upgrade packet of an answered probe: the session is ending at once. */
  void forgetProbeAnswer() {
    probed = false;
  }

  /** Closes the session with {@code reason} once the upgrade has completed or been cancelled. */
  void closeAfterwards(CloseReason reason, String description) {
    closeAfter = reason;
    closeAfterDescription = description;
  }

  /** A packet that came over the probe. */
  void onPacket(EnginePacket packet) {
    if (packet instanceof EnginePacket.Ping ping && "probe".equals(ping.data()) && !probed) {
      probed = true;
      probe.write(EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PONG, "probe"), false);
      probe.flush();
      if (polling.hasPendingGet()) {
        // The waiting poll ends, so that the client can pause polling.
        if (polling.isEmpty()) {
          polling.answerPendingWith(EngineCodec.NOOP);
        } else {
          polling.answerPending(false);
        }
      }
      checkTask = loop.scheduleAtFixedRate(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    } else if (packet instanceof EnginePacket.Upgrade && probed) {
      complete();
    } else {
      log.debug("session {}: unexpected packet during upgrade: {}", session.id(), packet);
      cancel();
    }
  }

  /** Ends a poll that waits while the probe is answered, so that the client can pause polling. */
  private void check() {
    if (polling.hasPendingGet() && session.transport() == Transport.POLLING) {
      polling.answerPending(false);
    }
  }

  private void complete() {
    EventLoops.cancel(timeoutTask);
    EventLoops.cancel(checkTask);
    WebSocketTransport upgraded = probe;
    probe = null;
    probed = false;
    session.upgradeTo(upgraded);
    closeIfAsked();
  }

  /** Ends the upgrade, if one is under way, without it: the session stays on polling. */
  void cancel() {
    EventLoops.cancel(timeoutTask);
    EventLoops.cancel(checkTask);
    if (probe != null) {
      probe.close();
      probe = null;
    }
    probed = false;
    closeIfAsked();
  }

  private void closeIfAsked() {
    CloseReason reason = closeAfter;
    if (reason != null) {
      closeAfter = null;
      session.close(reason, closeAfterDescription);
    }
  }
}
