package dev.switchboard.server.api;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of the server API. It only
 * describes, so it is served whether or not the API is enabled.
 */
final class OpenApiRoute implements HttpRoute {
  static final String RESOURCE = "/dev/switchboard/server/api/openapi.json";

  private final byte[] document;

  OpenApiRoute() {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the build");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!exchange.path().equals(ServerApi.OPENAPI_PATH)) {
      exchange.respondJson(HttpResponseStatus.NOT_FOUND, ApiJson.write(ApiJson.error("NOT_FOUND", "no such endpoint")));
      return;
    }
    if (!exchange.method().equals(HttpMethod.GET) && !exchange.method().equals(HttpMethod.HEAD)) {
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED, ApiJson.write(ApiJson.error("METHOD_NOT_ALLOWED", "use GET")),
          new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, "GET, HEAD"));
      return;
    }
    exchange.respond(HttpResponseStatus.OK, "application/json", Unpooled.wrappedBuffer(document), EmptyHttpHeaders.INSTANCE);
  }
}
