package dev.switchboard.server.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.server.config.LlmConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /demo/settings.json}: what the demo app needs to know of this server, as
 * {@code {"ssePath", "llm": {"provider", "model"}}}; never a key or an upstream URL.
 */
public final class DemoSettingsRoute implements HttpRoute {
  /** Where the route is mounted. */
  public static final String PATH = "/demo/settings.json";

  private final String json;

  /** Settings of a server serving SSE at {@code ssePath} and answering chat requests with {@code llm}. */
  public DemoSettingsRoute(String ssePath, LlmConfig llm) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode settings = mapper.createObjectNode().put("ssePath", ssePath);
    settings.putObject("llm").put("provider", llm.provider().wireName()).put("model", llm.model());
    this.json = settings.toString();
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!exchange.method().equals(HttpMethod.GET) && !exchange.method().equals(HttpMethod.HEAD)) {
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"use GET\"}");
      return;
    }
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    exchange.respondJson(HttpResponseStatus.OK, json, headers);
  }
}
