package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.rooms.internal.DeliveryCounts;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sessions of disconnected sockets a recovery log keeps: taken back once, and forgotten once expired. */
class RecoveryLogSessionsTest {
  private static final Duration WINDOW = Duration.ofMinutes(2);

  private final ManualClock clock = new ManualClock();
  private final RecoveryLog log = new RecoveryLog(new ConnectionStateRecovery(WINDOW, true), clock, RetainedBytes.unbounded(),
      new LocalAdapter<>(RealSocket.class, new DeliveryCounts()));

  @Test
  void aSessionIsTakenBackOnceWithItsRoomsAndData() {
    log.persist("sid-1", "pid-1", Set.of("a", "b"), Map.of("k", "v"));

    RecoveryLog.Session session = log.take("pid-1");

    assertThat(session.sid()).isEqualTo("sid-1");
    assertThat(session.rooms()).containsExactlyInAnyOrder("a", "b");
    assertThat(session.data()).containsEntry("k", "v");
    assertThat(log.take("pid-1")).isNull();
  }

  @Test
  void expiredSessionsAreForgottenAsLaterOnesAreKept() {
    for (int i = 0; i < 1000; i++) {
      log.persist("sid-" + i, "pid-" + i, Set.of(), Map.of());
      clock.advance(Duration.ofMillis(240)); // 1,000 disconnects over two windows
    }

    // Kept: those of the last window (500 at most), whatever the disconnects before them.
    assertThat(log.sessionCount()).isBetween(499, 501);
    assertThat(log.take("pid-0")).isNull();
    assertThat(log.take("pid-999")).isNotNull();
  }

  @Test
  void aSessionTakenAndKeptAgainIsNotForgottenWithItsOlderSelf() {
    log.persist("sid-1", "pid-1", Set.of("a"), Map.of());
    clock.advance(Duration.ofSeconds(100));
    assertThat(log.take("pid-1")).isNotNull();
    log.persist("sid-1", "pid-1", Set.of("b"), Map.of()); // recovered, then lost its connection again
    clock.advance(Duration.ofSeconds(30));

    log.persist("sid-2", "pid-2", Set.of(), Map.of()); // the first copy of pid-1 expires here

    assertThat(log.take("pid-1").rooms()).containsExactly("b");
  }
}
