package dev.switchboard.server.routes;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code GET /healthz}: 200 {@code {"status":"up"}} while the server accepts connections. */
public final class HealthRoute implements HttpRoute {
  @Override
  public void handle(HttpExchange exchange) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    exchange.respondJson(HttpResponseStatus.OK, "{\"status\":\"up\"}", headers);
  }
}
