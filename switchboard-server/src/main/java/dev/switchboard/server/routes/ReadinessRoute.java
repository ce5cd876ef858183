package dev.switchboard.server.routes;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: whether this node should be sent new clients. {@code 200
 * {"status":"ready"}}, or {@code 503 {"status":"unready","code":...}} while it drains
 * ({@code DRAINING}) or while the Redis its cluster needs does not answer ({@code REDIS_UNREACHABLE}).
 * {@code /healthz} stays the liveness check: a node that is not ready is still alive.
 */
public final class ReadinessRoute implements HttpRoute {
  private static final String READY = "{\"status\":\"ready\"}";
  private static final String DRAINING = "{\"status\":\"unready\",\"code\":\"DRAINING\","
      + "\"message\":\"this node is shutting down and takes no new connections\"}";
  private static final String REDIS_UNREACHABLE = "{\"status\":\"unready\",\"code\":\"REDIS_UNREACHABLE\","
      + "\"message\":\"Redis, which this node's cluster needs, does not answer\"}";

  private final BooleanSupplier draining;
  private final BooleanSupplier redisDown;

  /** Readiness of a node that is not ready while {@code draining}, nor while {@code redisDown} (always false on a single node). */
  public ReadinessRoute(BooleanSupplier draining, BooleanSupplier redisDown) {
    this.draining = draining;
    this.redisDown = redisDown;
  }

  @Override
  public void handle(HttpExchange exchange) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (draining.getAsBoolean()) {
      exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE, DRAINING, headers);
    } else if (redisDown.getAsBoolean()) {
      exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE, REDIS_UNREACHABLE, headers);
    } else {
      exchange.respondJson(HttpResponseStatus.OK, READY, headers);
    }
  }
}
