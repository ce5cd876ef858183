package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.rooms.internal.DeliveryCounts;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.testkit.ManualClock;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Offsets are handed out by broadcasts holding the order of their loops, and kept a moment later:
 * a read of what a recovering socket missed waits for every offset already handed out to be kept.
 * Read earlier, it would miss that packet while counting it among those the socket has.
 */
@Timeout(30)
class RecoveryLogOrderTest {
  private final LocalAdapter<RealSocket> adapter = new LocalAdapter<>(RealSocket.class, new DeliveryCounts());
  private final RecoveryLog log = new RecoveryLog(new ConnectionStateRecovery(Duration.ofMinutes(2), true),
      new ManualClock(), RetainedBytes.unbounded(), adapter);
  private final BroadcastTarget toRoom = new BroadcastTarget(Set.of("r"), Set.of(), true, false);

  @Test
  void aReadOfWhatWasMissedWaitsForEveryOffsetHandedOutToBeKept() throws Exception {
    RecoveryLog.Offset before = send("before");
    log.persist("sid", "pid", Set.of("r"), Map.of());
    RecoveryLog.Session session = log.take("pid");

    CountDownLatch handedOut = new CountDownLatch(1);
    CountDownLatch keep = new CountDownLatch(1);
    CompletableFuture<RecoveryLog.Offset> sending = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try (LocalAdapter.Order order = adapter.order(toRoom)) {
        RecoveryLog.Offset offset = log.next();
        handedOut.countDown();
        keep.await();
        keep(offset, "during");
        sending.complete(offset);
      } catch (InterruptedException e) {
        sending.completeExceptionally(e);
      }
    });
    handedOut.await();

    CompletableFuture<RecoveryLog.Missed> read = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().start(() -> read.complete(log.missed(session, before.text())));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
        .until(() -> read.isDone() || reader.getState() == Thread.State.WAITING);
    assertThat(read).as("the read waits for the packet whose offset was handed out").isNotDone();
    keep.countDown();

    RecoveryLog.Missed missed = read.get(5, TimeUnit.SECONDS);
    RecoveryLog.Offset during = sending.get(5, TimeUnit.SECONDS);
    assertThat(missed.packets()).extracting(RecoveryLog.Logged::seq).containsExactly(during.seq());
    assertThat(missed.lastSeq()).isEqualTo(during.seq());
  }

  @Test
  void whatWasMissedIsReadAfterAnOffsetAndNotFromOneNotHandedOutYet() {
    RecoveryLog.Offset first = send("first");
    RecoveryLog.Offset second = send("second");
    log.persist("sid", "pid", Set.of("r"), Map.of());
    RecoveryLog.Session session = log.take("pid");

    assertThat(log.missed(session, first.text()).packets()).extracting(RecoveryLog.Logged::seq)
        .containsExactly(second.seq());
    assertThat(log.missed(session, second.text()).packets()).isEmpty();
    assertThat(log.missed(session, first.text().replace("-" + first.seq(), "-" + (second.seq() + 1))))
        .as("an offset not handed out yet").isNull();
  }

  private RecoveryLog.Offset send(String text) {
    try (LocalAdapter.Order order = adapter.order(toRoom)) {
      RecoveryLog.Offset offset = log.next();
      keep(offset, text);
      return offset;
    }
  }

  private void keep(RecoveryLog.Offset offset, String text) {
    var packet = Unpooled.copiedBuffer("42[\"" + text + "\",\"" + offset.text() + "\"]", StandardCharsets.UTF_8);
    try {
      log.keep(offset, packet, List.of(), toRoom.rooms(), toRoom.except());
    } finally {
      packet.release();
    }
  }
}
