package dev.switchboard.server.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to the app's backend: each event, once serialized, goes to the queue of every
 * endpoint whose filter it passes ({@link EndpointQueue}), and leaves in signed, batched POST
 * requests ({@code {"events":[...]}}) from threads of its own, so no event loop ever waits for the
 * backend. Delivery is at least once: a receiver de-duplicates by event id.
 *
 * <p>An event is {@code {"id", "type", "time", "node", "data"}}: a unique id, its
 * {@link WebhookEventType#wireName() type}, when it happened (Unix milliseconds), the node that
 * sent it, and what the type reports.
 */
public final class Webhooks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final WebhookOptions options;
  private final String node;
  private final List<EndpointQueue> queues;
  private final Optional<HttpClient> http;
  private final Optional<ScheduledExecutorService> timer;
  private final Optional<ExecutorService> senders;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Webhooks(WebhookOptions options, String node, List<EndpointQueue> queues, Optional<HttpClient> http,
      Optional<ScheduledExecutorService> timer, Optional<ExecutorService> senders) {
    this.options = options;
    this.node = node;
    this.queues = queues;
    this.http = http;
    this.timer = timer;
    this.senders = senders;
  }

  /** Starts sending to {@code options}' endpoints as node {@code node}; nothing runs without endpoints. */
  public static Webhooks start(WebhookOptions options, String node) {
    Objects.requireNonNull(node, "node");
    if (!options.enabled()) {
      return new Webhooks(options, node, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "switchboard-webhooks");
      thread.setDaemon(true);
      return thread;
    });
    ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("switchboard-webhook-", 0).factory());
    HttpClient http = HttpClient.newBuilder()
        .executor(senders)
        .connectTimeout(options.timeout())
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    WebhookSignature signature = new WebhookSignature(options.secrets());
    List<EndpointQueue> queues = options.endpoints().stream()
        .map(endpoint -> new EndpointQueue(endpoint, options, signature, http, timer, senders)).toList();
    return new Webhooks(options, node, queues, Optional.of(http), Optional.of(timer), Optional.of(senders));
  }

  public WebhookOptions options() {
    return options;
  }

  /** Whether some endpoint may want events of {@code type}: when none does, their data need not be gathered. */
  public boolean wants(WebhookEventType type) {
    return queues.stream().anyMatch(queue -> queue.endpoint().events().mayMatch(type));
  }

  /**
   * Queues an event for every endpoint whose filter it passes; returns its id (empty when no
   * endpoint wants it). Never waits: a full queue drops it (and counts it). {@code data} must be
   * made of JSON-like values (maps, lists, strings, numbers, booleans, Jackson nodes).
   */
  public Optional<String> send(WebhookEventType type, Optional<String> room, Map<String, ?> data) {
    byte[] json = null;
    String id = null;
    for (EndpointQueue queue : queues) {
      if (queue.endpoint().events().matches(type, room)) {
        if (json == null) {
          id = UUID.randomUUID().toString();
          json = serialize(id, type, data);
          if (json == null) {
            return Optional.empty();
          }
        }
        queue.offer(json);
      }
    }
    return Optional.ofNullable(id);
  }

  /** Counts over every endpoint. */
  public WebhookStats stats() {
    return queues.stream().map(EndpointQueue::stats).reduce(WebhookStats.ZERO, WebhookStats::plus);
  }

  /** Counts of each endpoint, by URL. */
  public Map<URI, WebhookStats> statsByEndpoint() {
    Map<URI, WebhookStats> stats = new LinkedHashMap<>();
    queues.forEach(queue -> stats.merge(queue.endpoint().url(), queue.stats(), WebhookStats::plus));
    return stats;
  }

  /**
   * Sends what waits at once, without waiting for more to batch, retrying only within
   * {@code within}; completes once nothing waits or is in flight, or once that time is up, with
   * whether everything went. Unlike {@link #close()} it stops nothing: events sent later still go,
   * at once. What a drain runs once every connection is gone.
   */
  public CompletableFuture<Boolean> flush(Duration within) {
    if (queues.isEmpty() || closed.get()) {
      return CompletableFuture.completedFuture(true);
    }
    long deadline = System.nanoTime() + within.toNanos();
    queues.forEach(queue -> queue.flush(deadline));
    return CompletableFuture.supplyAsync(() -> awaitEmpty(deadline), senders.orElseThrow());
  }

  /** Waits until no queue holds anything, or until {@code deadline} (nanoTime); whether they emptied. */
  private boolean awaitEmpty(long deadline) {
    try {
      boolean empty = true;
      for (EndpointQueue queue : queues) {
        empty &= queue.awaitEmpty(deadline);
      }
      return empty;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Registers the counts of each endpoint as {@code switchboard.webhooks.*} meters, tagged
   * {@code endpoint} with its position in the configured list ({@code 0}, {@code 1}, ...): the
   * tag's values are as many as the endpoints, and never a URL, which may carry credentials.
   */
  public void bindTo(MeterRegistry registry) {
    for (int i = 0; i < queues.size(); i++) {
      EndpointQueue queue = queues.get(i);
      String endpoint = Integer.toString(i);
      eventCounter(registry, queue, endpoint, "delivered", WebhookStats::delivered);
      eventCounter(registry, queue, endpoint, "failed", WebhookStats::failed);
      eventCounter(registry, queue, endpoint, "dropped", WebhookStats::dropped);
      FunctionCounter.builder("switchboard.webhooks.requests", queue, q -> q.stats().requests())
          .description("Webhook requests sent, retries included.").tag("endpoint", endpoint).register(registry);
      FunctionCounter.builder("switchboard.webhooks.retries", queue, q -> q.stats().retried())
          .description("Webhook requests sent again after a failure.").tag("endpoint", endpoint).register(registry);
      Gauge.builder("switchboard.webhooks.queued", queue, q -> q.stats().queued())
          .description("Webhook events waiting or in a request now.").tag("endpoint", endpoint)
          .strongReference(true).register(registry);
    }
  }

  private static void eventCounter(MeterRegistry registry, EndpointQueue queue, String endpoint, String result,
      ToLongFunction<WebhookStats> count) {
    FunctionCounter.builder("switchboard.webhooks.events", queue, q -> count.applyAsLong(q.stats()))
        .description("Webhook events delivered, given up (failed) or never sent (dropped).")
        .tags("endpoint", endpoint, "result", result).register(registry);
  }

  /**
   * Delivers what is waiting, without waiting for more to batch, within
   * {@link WebhookOptions#flushTimeout()}; what is left then is dropped (and counted and logged).
   * Events sent after this are dropped.
   */
  @Override
  public void close() {
    if (queues.isEmpty() || !closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + options.flushTimeout().toNanos();
    queues.forEach(queue -> queue.flush(deadline));
    awaitEmpty(deadline);
    for (EndpointQueue queue : queues) {
      long lost = queue.stop();
      if (lost > 0) {
        log.warn("webhook {}: {} events not delivered within {} ms of stopping", queue.endpoint().url(), lost,
            options.flushTimeout().toMillis());
      }
    }
    timer.ifPresent(ScheduledExecutorService::shutdownNow);
    http.ifPresent(HttpClient::shutdownNow);
    senders.ifPresent(ExecutorService::shutdownNow);
  }

  private byte[] serialize(String id, WebhookEventType type, Map<String, ?> data) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("type", type.wireName());
    event.put("time", System.currentTimeMillis());
    event.put("node", node);
    event.put("data", data);
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      log.warn("a {} webhook event could not be written as JSON: {}", type, e.toString());
      return null;
    }
  }
}
