package dev.switchboard.server.metrics;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET <metrics-path>}: the registry in Prometheus's text format, or OpenMetrics when the
 * scraper asks for it. A scrape reads every meter (the open connections among them), so it runs on
 * a thread of its own, never on an event loop; scrapes beyond a few waiting are answered 503.
 */
public final class MetricsRoute implements HttpRoute, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsRoute.class);
  /** Scrapes that may wait while one runs; more are refused (scrapers come every few seconds). */
  static final int MAX_WAITING_SCRAPES = 4;
  /** The content types of the two formats, as the Prometheus client library names them. */
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final ThreadPoolExecutor scrapes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new ArrayBlockingQueue<>(MAX_WAITING_SCRAPES), runnable -> {
        Thread thread = new Thread(runnable, "switchboard-metrics");
        thread.setDaemon(true);
        return thread;
      });

  public MetricsRoute(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!exchange.method().equals(HttpMethod.GET)) {
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"read metrics with GET\"}");
      return;
    }
    String accept = exchange.header(HttpHeaderNames.ACCEPT).orElse("");
    String contentType = accept.contains("application/openmetrics-text")
        ? OPENMETRICS : PROMETHEUS_TEXT;
    try {
      scrapes.execute(() -> respond(exchange, contentType));
    } catch (RejectedExecutionException e) {
      exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE,
          "{\"code\":\"BUSY\",\"message\":\"too many scrapes at once, try again\"}");
    }
  }

  private void respond(HttpExchange exchange, String contentType) {
    ByteBuf body = Unpooled.buffer(64 * 1024);
    try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
      registry.scrape(out, contentType);
    } catch (IOException | RuntimeException e) {
      body.release();
      log.warn("metrics could not be read", e);
      exchange.respondJson(HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "{\"code\":\"INTERNAL\",\"message\":\"metrics could not be read\"}");
      return;
    }
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    exchange.respond(HttpResponseStatus.OK, contentType, body, headers);
  }

  @Override
  public void close() {
    scrapes.shutdownNow();
  }
}
