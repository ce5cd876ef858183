package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.ReadmeWebhookVerifier;
import dev.switchboard.server.webhooks.WebhookReceiver.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery of webhook events to a real HTTP receiver that fails on purpose: retried on 5xx,
 * timeouts, 429 (after its Retry-After) and connection errors, not on other 4xx; batched in order;
 * a full queue drops and counts without waiting; a stop delivers what waits within its deadline.
 * Every request received is checked with README's Java verification code.
 */
class WebhookDeliveryTest {
  static final String NEW_SECRET = "new-secret-0123456789abcdefghij";
  static final String OLD_SECRET = "old-secret-0123456789abcdefghij";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static ReadmeWebhookVerifier readme;

  private WebhookReceiver receiver;
  private Webhooks webhooks;

  @BeforeAll
  static void compileReadme() {
    readme = ReadmeWebhookVerifier.compile();
  }

  @BeforeEach
  void start() {
    receiver = WebhookReceiver.start();
  }

  @AfterEach
  void stop() {
    if (webhooks != null) {
      webhooks.close();
    }
    receiver.close();
  }

  /** Quick retries (20 ms, doubling up to 200 ms), a 10 ms batch delay, to the receiver with the default filter. */
  private WebhookOptions options() {
    return WebhookOptions.of(List.of(new WebhookEndpoint(receiver.url(), EventFilter.parse(EventFilter.DEFAULT))),
            List.of(NEW_SECRET, OLD_SECRET))
        .withBatch(100, Duration.ofMillis(10))
        .withRetries(5, Duration.ofMillis(20), Duration.ofMillis(200))
        .withTimeout(Duration.ofSeconds(2));
  }

  private void send(int count) {
    for (int i = 0; i < count; i++) {
      webhooks.send(WebhookEventType.CONNECT, Optional.empty(), Map.of("n", i));
    }
  }

  private static List<Integer> numbers(List<JsonNode> events) {
    return events.stream().map(event -> event.path("data").path("n").asInt()).toList();
  }

  /** Every request verifies with README's code under each secret alone, and fails with a changed body or later. */
  private void assertSigned(List<WebhookReceiver.Request> requests) {
    long now = System.currentTimeMillis() / 1000;
    for (WebhookReceiver.Request request : requests) {
      String timestamp = request.header(WebhookSignature.TIMESTAMP_HEADER);
      String signature = request.header(WebhookSignature.SIGNATURE_HEADER);
      assertThat(readme.verify(timestamp, signature, request.body(), List.of(OLD_SECRET), now)).isTrue();
      assertThat(readme.verify(timestamp, signature, request.body(), List.of(NEW_SECRET), now)).isTrue();
      assertThat(readme.verify(timestamp, signature, request.body(), List.of("a-secret-nobody-configured!!"), now)).isFalse();
      byte[] changed = request.body().clone();
      changed[changed.length - 3] ^= 1;
      assertThat(readme.verify(timestamp, signature, changed, List.of(OLD_SECRET), now)).isFalse();
      assertThat(readme.verify(timestamp, signature, request.body(), List.of(OLD_SECRET), now + 301)).as("a replay").isFalse();
    }
  }

  @Test
  void a503IsRetriedWithTheSameDeliveryUntilItIsDelivered() {
    receiver.answering(n -> n <= 2 ? Answer.status(503) : Answer.ok());
    webhooks = Webhooks.start(options(), "node-1");
    send(3);
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 3);

    List<WebhookReceiver.Request> requests = receiver.requests();
    assertThat(requests).extracting(WebhookReceiver.Request::status).containsExactly(503, 503, 200);
    assertThat(requests).extracting(request -> request.header(WebhookSignature.ATTEMPT_HEADER)).containsExactly("1", "2", "3");
    assertThat(requests).extracting(request -> request.header(WebhookSignature.DELIVERY_HEADER)).containsOnly(
        requests.get(0).header(WebhookSignature.DELIVERY_HEADER));
    assertThat(requests).allSatisfy(request -> assertThat(request.events()).isEqualTo(requests.get(0).events()));
    assertThat(numbers(receiver.delivered())).containsExactly(0, 1, 2);
    JsonNode event = receiver.delivered().get(0);
    assertThat(event.path("type").asText()).isEqualTo("connect");
    assertThat(event.path("node").asText()).isEqualTo("node-1");
    assertThat(event.path("time").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    assertThat(webhooks.stats()).isEqualTo(new WebhookStats(0, 3, 2, 0, 0, 3));
    assertSigned(requests);
  }

  @Test
  void aRequestThatTimesOutIsRetriedAndItsEventsKeepTheirIds() {
    receiver.answering(n -> n == 1 ? Answer.slow(Duration.ofMillis(1500)) : Answer.ok());
    webhooks = Webhooks.start(options().withTimeout(Duration.ofMillis(300)), "node-1");
    send(2);
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 2);
    assertThat(webhooks.stats().retried()).isEqualTo(1);
    // The slow answer still reaches the receiver: at least once, each event under one id.
    await().atMost(WAIT).until(() -> receiver.requests().size() == 2);
    assertThat(receiver.delivered()).hasSize(4);
    assertThat(numbers(receiver.distinct())).containsExactly(0, 1);
    assertSigned(receiver.requests());
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    receiver.answering(n -> n == 1 ? Answer.retryAfter(429, "1") : Answer.ok());
    webhooks = Webhooks.start(options().withRetries(5, Duration.ofMillis(20), Duration.ofSeconds(5)), "node-1");
    send(1);
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 1);
    List<WebhookReceiver.Request> requests = receiver.requests();
    assertThat(TimeUnit.NANOSECONDS.toMillis(requests.get(1).at() - requests.get(0).at())).isGreaterThanOrEqualTo(900);
  }

  @Test
  void anotherClientErrorIsNotRetriedAndTheQueueGoesOn() {
    receiver.answering(n -> n == 1 ? Answer.status(400) : Answer.ok());
    webhooks = Webhooks.start(options(), "node-1");
    send(1);
    await().atMost(WAIT).until(() -> webhooks.stats().failed() == 1);
    send(1);
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 1);
    assertThat(receiver.requests()).hasSize(2);
    assertThat(webhooks.stats().retried()).isZero();
  }

  @Test
  void aBackendThatKeepsFailingIsGivenUpAfterTheLastRetry() {
    receiver.answering(n -> Answer.status(500));
    webhooks = Webhooks.start(options().withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50)), "node-1");
    send(4);
    await().atMost(WAIT).until(() -> webhooks.stats().failed() == 4);
    assertThat(receiver.requests()).hasSize(3);
    assertThat(webhooks.stats()).isEqualTo(new WebhookStats(0, 0, 2, 0, 4, 3));
  }

  @Test
  void connectionErrorsAreRetried() {
    URI nobody = receiver.url();
    receiver.close();
    webhooks = Webhooks.start(WebhookOptions.of(List.of(new WebhookEndpoint(nobody, EventFilter.parse("*"))),
        List.of(NEW_SECRET)).withRetries(3, Duration.ofMillis(10), Duration.ofMillis(40)), "node-1");
    send(1);
    await().atMost(WAIT).until(() -> webhooks.stats().failed() == 1);
    assertThat(webhooks.stats().requests()).isEqualTo(4);
    assertThat(webhooks.stats().retried()).isEqualTo(3);
    receiver = WebhookReceiver.start();
  }

  @Test
  void eventsLeaveInOrderInBatchesOfAtMostTheBatchSize() {
    webhooks = Webhooks.start(options().withBatch(10, Duration.ofSeconds(1)), "node-1");
    long sentAt = System.nanoTime();
    send(25);
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 25);
    List<WebhookReceiver.Request> requests = receiver.requests();
    assertThat(requests).extracting(request -> request.events().size()).containsExactly(10, 10, 5);
    assertThat(TimeUnit.NANOSECONDS.toMillis(requests.get(1).at() - sentAt)).as("full batches leave at once").isLessThan(900);
    assertThat(TimeUnit.NANOSECONDS.toMillis(requests.get(2).at() - sentAt)).as("the rest after the batch delay")
        .isGreaterThanOrEqualTo(900);
    assertThat(numbers(receiver.delivered())).containsExactlyElementsOf(IntStream.range(0, 25).boxed().toList());
    assertThat(receiver.distinct()).hasSize(25);
  }

  @Test
  void aFullQueueDropsAndCountsWithoutWaiting() {
    CountDownLatch backendHangs = new CountDownLatch(1);
    receiver.answering(n -> n == 1 ? Answer.after(backendHangs) : Answer.ok());
    webhooks = Webhooks.start(options().withBatch(5, Duration.ZERO).withQueueSize(10), "node-1");
    send(1);
    await().atMost(WAIT).until(() -> webhooks.stats().requests() == 1);
    long started = System.nanoTime();
    send(100);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(tookMillis).as("queuing never waits for the backend").isLessThan(1000);
    assertThat(webhooks.stats()).isEqualTo(new WebhookStats(11, 0, 0, 90, 0, 1));
    backendHangs.countDown();
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 11);
    assertThat(webhooks.stats().queued()).isZero();
    // The first one sent alone, then the first ten of the hundred: the other ninety were dropped.
    assertThat(numbers(receiver.delivered())).containsExactly(0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void closingDeliversWhatWaitsAtOnce() {
    webhooks = Webhooks.start(options().withBatch(100, Duration.ofSeconds(30)), "node-1");
    send(5);
    assertThat(receiver.requests()).isEmpty();
    long started = System.nanoTime();
    webhooks.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
    assertThat(numbers(receiver.delivered())).containsExactly(0, 1, 2, 3, 4);
    assertThat(webhooks.stats()).isEqualTo(new WebhookStats(0, 5, 0, 0, 0, 1));
    send(1);
    assertThat(webhooks.stats().dropped()).as("nothing is taken once stopped").isEqualTo(1);
  }

  @Test
  void closingGivesUpAtItsDeadlineAndCountsWhatIsLeft() {
    receiver.answering(n -> Answer.status(503));
    webhooks = Webhooks.start(options().withBatch(2, Duration.ZERO).withRetries(100, Duration.ofMillis(50), Duration.ofMillis(50))
        .withFlushTimeout(Duration.ofMillis(500)), "node-1");
    send(6);
    long started = System.nanoTime();
    webhooks.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(300L, 3000L);
    WebhookStats stats = webhooks.stats();
    assertThat(stats.delivered()).isZero();
    assertThat(stats.dropped() + stats.failed()).isEqualTo(6);
    assertThat(stats.queued()).isZero();
  }

  @Test
  void eachUrlGetsTheEventsItsFilterPasses() {
    URI all = URI.create(receiver.url() + "?to=all");
    URI audit = URI.create(receiver.url() + "?to=audit");
    webhooks = Webhooks.start(WebhookOptions.of(List.of(
            new WebhookEndpoint(all, EventFilter.parse(EventFilter.DEFAULT)),
            new WebhookEndpoint(audit, EventFilter.parse("disconnect,publish@chat:*"))), List.of(NEW_SECRET))
        .withBatch(100, Duration.ZERO), "node-1");
    webhooks.send(WebhookEventType.CONNECT, Optional.empty(), Map.of());
    webhooks.send(WebhookEventType.PUBLISH, Optional.of("chat:1"), Map.of());
    webhooks.send(WebhookEventType.PUBLISH, Optional.of("doc:1"), Map.of());
    webhooks.send(WebhookEventType.ROOM_OCCUPIED, Optional.of("doc:1"), Map.of());
    webhooks.send(WebhookEventType.DISCONNECT, Optional.empty(), Map.of());
    await().atMost(WAIT).until(() -> webhooks.stats().delivered() == 5);
    assertThat(WebhookReceiver.types(eventsTo("to=all"))).containsExactly("connect", "room.occupied", "disconnect");
    assertThat(WebhookReceiver.types(eventsTo("to=audit"))).containsExactly("publish", "disconnect");
    assertThat(webhooks.statsByEndpoint()).containsOnlyKeys(all, audit);
    assertThat(webhooks.statsByEndpoint().get(audit).delivered()).isEqualTo(2);
  }

  private List<JsonNode> eventsTo(String query) {
    return receiver.requests().stream().filter(request -> query.equals(request.uri().getQuery()))
        .flatMap(request -> request.events().stream()).toList();
  }
}
