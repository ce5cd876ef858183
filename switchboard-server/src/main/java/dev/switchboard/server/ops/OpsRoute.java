package dev.switchboard.server.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.server.routes.StaticRoute;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.sse.SseStream;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;

/**
 * {@code /admin/}: the ops page, its live feed ({@code /admin/stream}) and one snapshot as JSON
 * ({@code /admin/snapshot}), all behind the admin credentials (HTTP Basic). {@code /admin} moves
 * to {@code /admin/}, whose relative links the page uses.
 */
final class OpsRoute implements HttpRoute {
  /** Where the page is served. */
  static final String PATH = "/admin/";
  private static final String REALM = "Basic realm=\"Switchboard admin\", charset=\"UTF-8\"";
  private static final SseOptions STREAM = SseOptions.DEFAULTS.withHeartbeat(Duration.ofSeconds(15));

  private final AdminCredentials credentials;
  private final OpsStream stream;
  private final ClusterSnapshots snapshots;
  private final StaticRoute files = new StaticRoute(PATH, "dev/switchboard/server/ops");

  OpsRoute(AdminCredentials credentials, OpsStream stream, ClusterSnapshots snapshots) {
    this.credentials = credentials;
    this.stream = stream;
    this.snapshots = snapshots;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (exchange.path().equals(PATH.substring(0, PATH.length() - 1))) {
      DefaultHttpHeaders headers = new DefaultHttpHeaders();
      headers.set(HttpHeaderNames.LOCATION, PATH);
      exchange.respondEmpty(HttpResponseStatus.MOVED_PERMANENTLY, headers);
      return;
    }
    credentials.checkHeader(exchange.header(HttpHeaderNames.AUTHORIZATION)).thenAccept(outcome ->
        EventLoops.runOn(exchange.channel().eventLoop(), () -> {
          switch (outcome) {
            case ACCEPTED -> serve(exchange);
            case REFUSED -> refuse(exchange);
            case BUSY -> exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "{\"code\":\"BUSY\",\"message\":\"too many admin logins are being checked; try again\"}");
          }
        }));
  }

  private void serve(HttpExchange exchange) {
    if (!exchange.channel().isActive()) {
      return;
    }
    String rest = exchange.path().substring(PATH.length());
    switch (rest) {
      case "stream" -> {
        if (!exchange.method().equals(HttpMethod.GET)) {
          exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"use GET\"}");
          return;
        }
        stream.follow(SseStream.open(exchange, STREAM));
      }
      case "snapshot" -> snapshots.take().whenComplete((snapshot, failure) ->
          EventLoops.runOn(exchange.channel().eventLoop(), () -> {
            DefaultHttpHeaders headers = new DefaultHttpHeaders();
            headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (failure != null) {
              exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE,
                  "{\"code\":\"UNAVAILABLE\",\"message\":\"the snapshot could not be taken; try again\"}", headers);
              return;
            }
            try {
              exchange.respondJson(HttpResponseStatus.OK, ClusterSnapshots.MAPPER.writeValueAsString(snapshot), headers);
            } catch (JsonProcessingException e) {
              exchange.respondJson(HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"code\":\"INTERNAL\",\"message\":\"" + e.getOriginalMessage() + "\"}");
            }
          }));
      default -> files.handle(exchange);
    }
  }

  private static void refuse(HttpExchange exchange) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.WWW_AUTHENTICATE, REALM);
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    exchange.respondJson(HttpResponseStatus.UNAUTHORIZED,
        "{\"code\":\"UNAUTHORIZED\",\"message\":\"the admin user name and password are required\"}", headers);
  }
}
