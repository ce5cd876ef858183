package dev.switchboard.server.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where webhook events go and how they are delivered.
 *
 * @param endpoints the backend URLs with their filters; none turns webhooks off
 * @param secrets the signing secrets (each at least {@link #MIN_SECRET_LENGTH} characters): every
 *     request carries one signature per secret, so that receivers may move from one to the next
 * @param batchSize most events in one request
 * @param batchDelay longest an event waits for others to share its request (0: sent as soon as
 *     nothing is in flight to the endpoint)
 * @param queueSize most events waiting per endpoint; more are dropped and counted
 * @param retries how many times a request that failed with a 5xx, 408 or 429 answer, a timeout or a
 *     connection error is sent again, after an exponential, jittered backoff
 * @param retryBase the backoff before the first retry, doubled for each next one
 * @param retryMax the longest backoff
 * @param timeout how long one request may take
 * @param flushTimeout how long a stop may take to deliver what is waiting
 */
public record WebhookOptions(List<WebhookEndpoint> endpoints, List<String> secrets, int batchSize, Duration batchDelay,
    int queueSize, int retries, Duration retryBase, Duration retryMax, Duration timeout, Duration flushTimeout) {
  /** Shortest secret accepted. */
  public static final int MIN_SECRET_LENGTH = 16;
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final Duration DEFAULT_BATCH_DELAY = Duration.ofMillis(50);
  public static final int DEFAULT_QUEUE_SIZE = 10_000;
  public static final int DEFAULT_RETRIES = 5;
  public static final Duration DEFAULT_RETRY_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(5);
  /** Most bytes of events waiting per endpoint, whatever their number; more are dropped and counted. */
  public static final int MAX_QUEUED_BYTES = 16 << 20;
  /** Largest request body a batch grows to (one larger event still goes alone). */
  public static final int MAX_BODY_BYTES = 1 << 20;

  /** No endpoint: nothing is sent. */
  public static final WebhookOptions NONE = new WebhookOptions(List.of(), List.of(), DEFAULT_BATCH_SIZE, DEFAULT_BATCH_DELAY,
      DEFAULT_QUEUE_SIZE, DEFAULT_RETRIES, DEFAULT_RETRY_BASE, DEFAULT_RETRY_MAX, DEFAULT_TIMEOUT, DEFAULT_FLUSH_TIMEOUT);

  public WebhookOptions {
    endpoints = List.copyOf(endpoints);
    secrets = List.copyOf(secrets);
    Objects.requireNonNull(batchDelay, "batchDelay");
    Objects.requireNonNull(retryBase, "retryBase");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(flushTimeout, "flushTimeout");
    if (!endpoints.isEmpty() && secrets.isEmpty()) {
      throw new IllegalArgumentException("webhooks need a signing secret");
    }
    for (String secret : secrets) {
      if (secret.length() < MIN_SECRET_LENGTH) {
        throw new IllegalArgumentException("each webhook secret must have at least " + MIN_SECRET_LENGTH + " characters");
      }
    }
    if (batchSize < 1 || queueSize < 1 || retries < 0) {
      throw new IllegalArgumentException("batchSize and queueSize must be positive, retries not negative");
    }
    if (batchDelay.isNegative() || retryBase.isNegative() || retryMax.compareTo(retryBase) < 0 || timeout.isNegative()
        || timeout.isZero() || flushTimeout.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative, timeout positive, retryMax at least retryBase");
    }
  }

  /** The defaults sending to {@code endpoints}, signed with {@code secrets}. */
  public static WebhookOptions of(List<WebhookEndpoint> endpoints, List<String> secrets) {
    return NONE.withEndpoints(endpoints, secrets);
  }

  public boolean enabled() {
    return !endpoints.isEmpty();
  }

  public WebhookOptions withEndpoints(List<WebhookEndpoint> endpoints, List<String> secrets) {
    return new WebhookOptions(endpoints, secrets, batchSize, batchDelay, queueSize, retries, retryBase, retryMax, timeout, flushTimeout);
  }

  public WebhookOptions withBatch(int size, Duration delay) {
    return new WebhookOptions(endpoints, secrets, size, delay, queueSize, retries, retryBase, retryMax, timeout, flushTimeout);
  }

  public WebhookOptions withQueueSize(int size) {
    return new WebhookOptions(endpoints, secrets, batchSize, batchDelay, size, retries, retryBase, retryMax, timeout, flushTimeout);
  }

  public WebhookOptions withRetries(int count, Duration base, Duration max) {
    return new WebhookOptions(endpoints, secrets, batchSize, batchDelay, queueSize, count, base, max, timeout, flushTimeout);
  }

  public WebhookOptions withTimeout(Duration requestTimeout) {
    return new WebhookOptions(endpoints, secrets, batchSize, batchDelay, queueSize, retries, retryBase, retryMax, requestTimeout, flushTimeout);
  }

  public WebhookOptions withFlushTimeout(Duration stopTimeout) {
    return new WebhookOptions(endpoints, secrets, batchSize, batchDelay, queueSize, retries, retryBase, retryMax, timeout, stopTimeout);
  }
}
