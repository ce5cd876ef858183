package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/server/<operation>} with a JSON body: checks, in this order, that the API is
 * enabled (404 SERVER_API_DISABLED), the API key (401 UNAUTHORIZED), the operation (404
 * UNKNOWN_OPERATION), the method (405 METHOD_NOT_ALLOWED), the body's size (413 BODY_TOO_LARGE) and
 * JSON (400 INVALID_JSON); then runs the operation and answers on the request's event loop.
 */
final class ServerApiRoute implements HttpRoute {
  private final ApiKeys keys;
  private final Operations operations;

  ServerApiRoute(ApiKeys keys, Operations operations) {
    this.keys = keys;
    this.operations = operations;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!keys.enabled()) {
      refuse(exchange, new ApiError(404, "SERVER_API_DISABLED",
          "the server API is disabled: start the server with --api-key to enable it"));
      return;
    }
    Optional<String> key = ApiKeys.presented(exchange.headers());
    if (key.isEmpty() || !keys.accepts(key.get())) {
      refuse(exchange, new ApiError(401, "UNAUTHORIZED", key.isEmpty()
          ? "send an API key in the X-API-Key header or as Authorization: apikey <key>" : "the API key is not valid"));
      return;
    }
    String name = exchange.path().substring(Math.min(exchange.path().length(), ServerApi.PREFIX.length()));
    Optional<Operation> operation = operations.find(name);
    if (operation.isEmpty()) {
      refuse(exchange, new ApiError(404, "UNKNOWN_OPERATION", "no operation \"" + name + "\"; the operations are "
          + String.join(", ", operations.names())));
      return;
    }
    if (!exchange.method().equals(HttpMethod.POST)) {
      refuse(exchange, new ApiError(405, "METHOD_NOT_ALLOWED", "use POST"));
      return;
    }
    if (exchange.body().readableBytes() > ServerApi.MAX_BODY_BYTES) {
      refuse(exchange, new ApiError(413, "BODY_TOO_LARGE", "bodies are at most " + ServerApi.MAX_BODY_BYTES + " bytes"));
      return;
    }
    JsonNode params;
    try {
      params = exchange.body().readableBytes() == 0 ? ApiJson.MAPPER.createObjectNode() : ApiJson.read(exchange.bodyAsBytes());
    } catch (IOException e) {
      refuse(exchange, new ApiError(400, "INVALID_JSON", "the body is not JSON"));
      return;
    }
    Operations.run(operation.get(), params).whenComplete((answer, failure) ->
        EventLoops.runOn(exchange.channel().eventLoop(), () -> answer(exchange, answer, failure)));
  }

  private static void answer(HttpExchange exchange, Map<String, Object> answer, Throwable failure) {
    if (!exchange.channel().isActive()) {
      return;
    }
    if (failure != null) {
      refuse(exchange, Operations.asApiError(failure));
      return;
    }
    exchange.respondJson(HttpResponseStatus.OK, ApiJson.write(answer), noStore());
  }

  private static void refuse(HttpExchange exchange, ApiError error) {
    HttpHeaders headers = noStore();
    if (error.status() == 405) {
      headers.set(HttpHeaderNames.ALLOW, "POST");
    }
    if (error.status() == 401) {
      headers.set(HttpHeaderNames.WWW_AUTHENTICATE, ApiKeys.SCHEME);
    }
    exchange.respondJson(HttpResponseStatus.valueOf(error.status()), ApiJson.write(ApiJson.error(error)), headers);
  }

  private static HttpHeaders noStore() {
    return new DefaultHttpHeaders().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
  }
}
