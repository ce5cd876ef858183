package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long webhook events take from the moment they happen to the receiver's arrival (a real HTTP
 * server in this process, so both ends read one clock), one at a time and in a burst, and how many
 * events a second one endpoint gets in a burst (bounded loops; logged as p50/p99, the assertions
 * only catch a delivery gone badly wrong).
 */
class WebhookLatencyTest {
  private static final Logger log = LoggerFactory.getLogger(WebhookLatencyTest.class);
  private static final String SECRET = "webhook-latency-test-secret-0123";

  private WebhookReceiver receiver;

  @BeforeEach
  void start() {
    receiver = WebhookReceiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private WebhookOptions options(int batchSize, Duration batchDelay, int queueSize) {
    return WebhookOptions.of(List.of(new WebhookEndpoint(receiver.url(), EventFilter.parse("*"))), List.of(SECRET))
        .withBatch(batchSize, batchDelay).withQueueSize(queueSize);
  }

  @Test
  void oneEventAtATime() throws Exception {
    for (Duration delay : List.of(Duration.ZERO, WebhookOptions.DEFAULT_BATCH_DELAY)) {
      int events = delay.isZero() ? 1_000 : 200;
      try (Webhooks webhooks = Webhooks.start(options(WebhookOptions.DEFAULT_BATCH_SIZE, delay, 1_000), "node")) {
        long[] micros = new long[events];
        for (int i = -100; i < events; i++) {
          long sent = System.nanoTime();
          webhooks.send(WebhookEventType.CONNECT, Optional.empty(), Map.of("n", i));
          WebhookReceiver.Request arrived = receiver.arrivals().poll(5, TimeUnit.SECONDS);
          assertThat(arrived).as("event %d arrived", i).isNotNull();
          if (i >= 0) {
            micros[i] = (arrived.at() - sent) / 1_000;
          }
        }
        report("one event at a time, batch delay " + delay.toMillis() + " ms", micros);
      }
    }
  }

  @Test
  void aBurstOfEvents() {
    int events = 50_000;
    for (int batchSize : List.of(WebhookOptions.DEFAULT_BATCH_SIZE, 1_000)) {
      receiver.arrivals().clear();
      try (Webhooks webhooks = Webhooks.start(options(batchSize, WebhookOptions.DEFAULT_BATCH_DELAY, events), "node")) {
        long[] sentAt = new long[events];
        long started = System.nanoTime();
        for (int i = 0; i < events; i++) {
          sentAt[i] = System.nanoTime();
          webhooks.send(WebhookEventType.CONNECT, Optional.empty(), Map.of("n", i, "socket", "s" + i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> webhooks.stats().delivered() == events);
        long elapsed = System.nanoTime() - started;
        long[] micros = new long[events];
        for (WebhookReceiver.Request request : receiver.arrivals()) {
          for (JsonNode event : request.events()) {
            int n = event.path("data").path("n").asInt();
            micros[n] = (request.at() - sentAt[n]) / 1_000;
          }
        }
        WebhookStats stats = webhooks.stats();
        log.info("webhooks, a burst of {} events in batches of up to {}: {} events/s over {} requests; {}", events,
            batchSize, events * 1_000_000_000L / elapsed, stats.requests(), stats);
        report("a burst, batches of up to " + batchSize, micros);
        assertThat(stats.dropped() + stats.failed()).isZero();
      }
    }
  }

  @Test
  void fromAClientsPublishToTheReceiver() throws Exception {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "event-rate", "0", "user-event-rate", "0",
        "webhook-url", receiver.url() + "#events=publish@chat:*", "webhook-secret", SECRET, "webhook-batch-delay", "0"));
        StandaloneClients clients = new StandaloneClients(app::port)) {
      Socket sender = clients.connect();
      StandaloneClients.join(sender, "chat:1");
      int events = 500;
      long[] micros = new long[events];
      for (int i = -100; i < events; i++) {
        long sent = System.nanoTime();
        sender.emit("room:publish", StandaloneClients.publication("chat:1", "chat", new JSONObject().put("n", i)));
        WebhookReceiver.Request arrived = receiver.arrivals().poll(5, TimeUnit.SECONDS);
        assertThat(arrived).as("publish %d arrived", i).isNotNull();
        if (i >= 0) {
          micros[i] = (arrived.at() - sent) / 1_000;
        }
      }
      report("a client's room:publish to the receiver's arrival, batch delay 0", micros);
    }
  }

  private static void report(String what, long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    long p50 = sorted[sorted.length / 2];
    long p99 = sorted[sorted.length * 99 / 100];
    log.info("webhook latency, {}: p50 {} us, p99 {} us, max {} us over {} events", what, p50, p99, sorted[sorted.length - 1],
        sorted.length);
    assertThat(p99).as("p99 in microseconds").isLessThan(5_000_000);
  }
}
