package dev.switchboard.server.webhooks;

/**
 * Counts of webhook events since the start, for one endpoint or all of them.
 *
 * @param queued events waiting or in a request now (the queue depth)
 * @param delivered events the endpoint answered with a 2xx
 * @param retried requests sent again after a failure
 * @param dropped events never sent: the queue was full, or the stop's deadline passed
 * @param failed events given up: refused with a 4xx other than 408 and 429, or still failing after
 *     the last retry
 * @param requests requests sent, retries included
 */
public record WebhookStats(long queued, long delivered, long retried, long dropped, long failed, long requests) {
  /** Nothing yet. */
  public static final WebhookStats ZERO = new WebhookStats(0, 0, 0, 0, 0, 0);

  /** The sum of both counts. */
  public WebhookStats plus(WebhookStats other) {
    return new WebhookStats(queued + other.queued, delivered + other.delivered, retried + other.retried,
        dropped + other.dropped, failed + other.failed, requests + other.requests);
  }
}
