package dev.switchboard.server.webhooks;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events waiting for one endpoint and their delivery: a bounded queue (a full one drops what
 * comes, and counts it), one request in flight at a time so the endpoint gets events in order,
 * each request a batch of up to {@code batchSize} events once the oldest waited
 * {@code batchDelay} (at once when that many wait), retried with an exponential, jittered backoff.
 * Nothing here waits for the network on the caller's thread.
 */
final class EndpointQueue {
  private static final Logger log = LoggerFactory.getLogger(EndpointQueue.class);
  private static final String USER_AGENT = "Switchboard-Webhooks";
  /** Least time between two warnings of one endpoint about dropped or failed events. */
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final byte[] OPEN = "{\"events\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** An event's JSON and when it was queued (nanoTime). */
  private record Queued(byte[] json, long at) {}

  /** One request's events, its body and its delivery id, the same for each attempt. */
  private record Batch(String delivery, int events, byte[] body) {}

  private final WebhookEndpoint endpoint;
  private final WebhookOptions options;
  private final WebhookSignature signature;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final Executor executor;

  private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
  private long waitingBytes;
  /** Events of the request in flight (or waiting for its retry). */
  private int inFlight;
  /** A batch is being sent or retried, or its sending is planned: no other starts. */
  private boolean busy;
  private ScheduledFuture<?> lingering;
  private boolean closing;
  private long flushDeadline;
  /** Nothing more is sent or counted. */
  private boolean stopped;
  private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

  private final LongAdder delivered = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder requests = new LongAdder();

  EndpointQueue(WebhookEndpoint endpoint, WebhookOptions options, WebhookSignature signature, HttpClient http,
      ScheduledExecutorService timer, Executor executor) {
    this.endpoint = endpoint;
    this.options = options;
    this.signature = signature;
    this.http = http;
    this.timer = timer;
    this.executor = executor;
  }

  WebhookEndpoint endpoint() {
    return endpoint;
  }

  /** Queues one event's JSON, or drops it when the queue is full; never waits. */
  synchronized void offer(byte[] json) {
    if (stopped || waiting.size() >= options.queueSize() || waitingBytes + json.length > WebhookOptions.MAX_QUEUED_BYTES) {
      dropped.increment();
      warn("dropped an event: " + waiting.size() + " events wait already (" + WebhookOptions.MAX_QUEUED_BYTES / 1024
          + " KiB at most)");
      return;
    }
    waiting.add(new Queued(json, System.nanoTime()));
    waitingBytes += json.length;
    if (!busy) {
      plan();
    }
  }

  synchronized WebhookStats stats() {
    return new WebhookStats(waiting.size() + inFlight, delivered.sum(), retried.sum(), dropped.sum(), failed.sum(),
        requests.sum());
  }

  /** From now on every waiting event is sent at once, and a retry that would end after {@code deadline} (nanoTime) is not made. */
  synchronized void flush(long deadline) {
    closing = true;
    flushDeadline = deadline;
    if (!busy) {
      plan();
    }
  }

  /** Waits until nothing waits or is in flight, or until {@code deadline} (nanoTime); whether it emptied. */
  synchronized boolean awaitEmpty(long deadline) throws InterruptedException {
    while (busy || !waiting.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Stops: what still waits or is in flight is counted as dropped; returns how many events that is. */
  synchronized long stop() {
    stopped = true;
    long lost = waiting.size() + inFlight;
    dropped.add(lost);
    waiting.clear();
    waitingBytes = 0;
    inFlight = 0;
    if (lingering != null) {
      lingering.cancel(false);
    }
    return lost;
  }

  /** Under the lock, nothing being sent: starts a batch now, or when the oldest event has waited batchDelay. */
  private void plan() {
    if (stopped || waiting.isEmpty()) {
      notifyAll();
      return;
    }
    long waited = System.nanoTime() - waiting.peekFirst().at();
    long delay = closing ? 0 : options.batchDelay().toNanos() - waited;
    if (waiting.size() >= options.batchSize() || delay <= 0) {
      if (lingering != null) {
        lingering.cancel(false);
        lingering = null;
      }
      busy = true;
      executor.execute(this::sendNext);
    } else if (lingering == null) {
      lingering = timer.schedule(this::lingered, delay, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void lingered() {
    lingering = null;
    if (!busy) {
      plan();
    }
  }

  /** Takes the next batch and sends it; off the caller's thread, building the body outside the lock. */
  private void sendNext() {
    List<byte[]> events = new ArrayList<>();
    synchronized (this) {
      int size = OPEN.length + CLOSE.length;
      while (!waiting.isEmpty() && events.size() < options.batchSize()
          && (events.isEmpty() || size + waiting.peekFirst().json().length + 1 <= WebhookOptions.MAX_BODY_BYTES)) {
        byte[] next = waiting.pollFirst().json();
        waitingBytes -= next.length;
        size += next.length + 1;
        events.add(next);
      }
      inFlight = events.size();
      if (events.isEmpty() || stopped) {
        busy = false;
        plan();
        return;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(OPEN);
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.writeBytes(events.get(i));
    }
    body.writeBytes(CLOSE);
    attempt(new Batch(UUID.randomUUID().toString(), events.size(), body.toByteArray()), 1);
  }

  private void attempt(Batch batch, int attempt) {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    long timestamp = System.currentTimeMillis() / 1000;
    HttpRequest request = HttpRequest.newBuilder(endpoint.url())
        .timeout(options.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
        .header(WebhookSignature.SIGNATURE_HEADER, signature.sign(timestamp, batch.body()))
        .header(WebhookSignature.DELIVERY_HEADER, batch.delivery())
        .header(WebhookSignature.ATTEMPT_HEADER, Integer.toString(attempt))
        .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
        .build();
    requests.increment();
    try {
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> answered(batch, attempt, Optional.ofNullable(response), error));
    } catch (RuntimeException e) {
      answered(batch, attempt, Optional.empty(), e);
    }
  }

  /** Counts the outcome of an attempt, under the lock so a stop counts its events once. */
  private synchronized void answered(Batch batch, int attempt, Optional<HttpResponse<Void>> response, Throwable error) {
    if (stopped) {
      return;
    }
    int status = response.map(HttpResponse::statusCode).orElse(0);
    if (error == null && status / 100 == 2) {
      delivered.add(batch.events());
      done();
      return;
    }
    boolean retryable = error != null || status >= 500 || status == 408 || status == 429;
    Duration wait = backoff(attempt, response.flatMap(answer -> answer.headers().firstValue("Retry-After")));
    if (retryable && attempt <= options.retries() && allowed(wait)) {
      retried.increment();
      timer.schedule(() -> executor.execute(() -> attempt(batch, attempt + 1)), wait.toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    failed.add(batch.events());
    warn("gave up a request of " + batch.events() + " events after " + attempt + " attempts: "
        + (error != null ? error.toString() : "answered " + status));
    done();
  }

  private synchronized void done() {
    inFlight = 0;
    busy = false;
    plan();
  }

  /** Whether a retry after {@code wait} ends before the stop's deadline (always, unless stopping). */
  private synchronized boolean allowed(Duration wait) {
    return !closing || System.nanoTime() + wait.toNanos() < flushDeadline;
  }

  /**
   * Half of {@code retryBase * 2^(attempt-1)} (at most {@code retryMax}) plus a random part up to
   * the other half, or what a {@code Retry-After} of seconds asks when that is longer (still at most
   * {@code retryMax}).
   */
  private Duration backoff(int attempt, Optional<String> retryAfter) {
    long max = options.retryMax().toMillis();
    long exponential = Math.min(max, options.retryBase().toMillis() << Math.min(attempt - 1, 30));
    long wait = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    long asked = retryAfter.flatMap(EndpointQueue::seconds).map(seconds -> Math.min(max, seconds * 1000)).orElse(0L);
    return Duration.ofMillis(Math.max(wait, asked));
  }

  private static Optional<Long> seconds(String header) {
    try {
      return Optional.of(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private synchronized void warn(String what) {
    long now = System.nanoTime();
    if (now - lastWarning >= WARN_EVERY_NANOS) {
      lastWarning = now;
      WebhookStats stats = stats();
      log.warn("webhook {}: {} (so far: {} dropped, {} failed, {} delivered)", endpoint.url(), what, stats.dropped(),
          stats.failed(), stats.delivered());
    }
  }
}
