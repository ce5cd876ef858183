package dev.switchboard.server.routes;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves files packaged under a classpath folder; {@code /} maps to {@code index.html}. Files are
 * read once and kept in memory (they are few and small).
 */
public final class StaticRoute implements HttpRoute {
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "map", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon");

  private final String classpathFolder;
  private final String mountPath;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** Serves {@code classpathFolder/<rest>} for requests to {@code mountPath<rest>}. */
  public StaticRoute(String mountPath, String classpathFolder) {
    this.mountPath = mountPath;
    this.classpathFolder = classpathFolder;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!exchange.method().equals(HttpMethod.GET) && !exchange.method().equals(HttpMethod.HEAD)) {
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"use GET\"}");
      return;
    }
    String rest = exchange.path().substring(Math.min(mountPath.length(), exchange.path().length()));
    if (rest.isEmpty() || rest.endsWith("/")) {
      rest = rest + "index.html";
    }
    if (rest.contains("..") || rest.contains("\\")) {
      exchange.respondJson(HttpResponseStatus.BAD_REQUEST, "{\"code\":\"BAD_PATH\",\"message\":\"invalid path\"}");
      return;
    }
    byte[] body = load(rest);
    if (body == null) {
      exchange.respondJson(HttpResponseStatus.NOT_FOUND, "{\"code\":\"NOT_FOUND\",\"message\":\"no such file\"}");
      return;
    }
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    String extension = rest.substring(rest.lastIndexOf('.') + 1);
    exchange.respond(HttpResponseStatus.OK, TYPES.getOrDefault(extension, "application/octet-stream"),
        Unpooled.wrappedBuffer(body), headers);
  }

  private byte[] load(String file) {
    byte[] cached = cache.get(file);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = StaticRoute.class.getClassLoader().getResourceAsStream(classpathFolder + "/" + file)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      cache.put(file, bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
