package dev.switchboard.server.sse;

import static dev.switchboard.server.sse.RoomClient.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.SseReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Many concurrent SSE streams on one node, all fed by one publish. */
@Timeout(60)
class SseFanOutTest {
  private static final Logger log = LoggerFactory.getLogger(SseFanOutTest.class);
  private static final int STREAMS = 1_000;

  private SwitchboardApp app;
  private final List<SseReader> readers = new ArrayList<>();

  @AfterEach
  void stop() {
    readers.forEach(SseReader::close);
    if (app != null) {
      app.close();
    }
  }

  private Map<String, Integer> roomSizes() throws Exception {
    return app.io().localRoomSizes().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aThousandStreamsAllReceiveOnePublish() throws Exception {
    app = TestApps.start(Map.of());
    try (ExecutorService opener = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<SseReader>> opening = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        opening.add(opener.submit(() -> SseReader.open(app.port(), "/sse?rooms=crowd")));
      }
      for (Future<SseReader> future : opening) {
        SseReader reader = future.get(20, TimeUnit.SECONDS);
        readers.add(reader);
        assertThat(reader.status()).isEqualTo(200);
      }
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(roomSizes().get("crowd")).isEqualTo(STREAMS));

    try (RoomClient publisher = RoomClient.connect(app.port()).join("crowd")) {
      long published = System.nanoTime();
      publisher.publish("crowd", "announce", obj("text", "to everyone"));
      long lastArrival = published;
      for (SseReader reader : readers) {
        SseReader.Event event = reader.nextMessage(Duration.ofSeconds(5));
        assertThat(event.event()).isEqualTo("announce");
        assertThat(event.data()).isEqualTo("{\"text\":\"to everyone\"}");
        lastArrival = Math.max(lastArrival, event.receivedNanos());
      }
      Duration toAll = Duration.ofNanos(lastArrival - published);
      log.info("one publish reached {} SSE streams in {} ms", STREAMS, toAll.toMillis());
      assertThat(toAll).isLessThan(Duration.ofSeconds(3));
      assertThat(readers).allSatisfy(reader -> assertThat(reader.drain()).isEmpty());
    }

    readers.forEach(SseReader::close);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(roomSizes()).doesNotContainKey("crowd"));
  }
}
