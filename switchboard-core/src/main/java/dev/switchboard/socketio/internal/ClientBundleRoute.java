package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the official socket.io-client browser build next to the server, as Node's
 * {@code serveClient} does: {@code <path>socket.io.js}, {@code socket.io.min.js},
 * {@code socket.io.esm.min.js}, {@code socket.io.msgpack.min.js} (with {@code socket.io-msgpack-parser}) and their source maps, with the client's version as ETag
 * ({@code 304} to a matching {@code If-None-Match}), gzip-compressed for clients that accept it.
 * Every other request goes to the Engine.IO route. The files come from the socket.io-client npm package at build time and are read into
 * memory once per process, when the first such route is made (never on an event loop).
 */
public final class ClientBundleRoute implements HttpRoute {
  private static final Logger log = LoggerFactory.getLogger(ClientBundleRoute.class);
  /** Where the build puts the client's {@code dist} files and its {@code package.json}. */
  static final String RESOURCES = "dev/switchboard/socketio/client/";
  static final List<String> FILES = List.of(
      "socket.io.js", "socket.io.js.map",
      "socket.io.min.js", "socket.io.min.js.map",
      "socket.io.esm.min.js", "socket.io.esm.min.js.map",
      "socket.io.msgpack.min.js", "socket.io.msgpack.min.js.map");

  /** One file of the bundle, as it is and gzip-compressed. */
  private record File(byte[] plain, byte[] gzipped) {}

  /** The files of the bundle and the ETag they are served with. */
  private record Bundle(Map<String, File> files, String etag) {
    static final Bundle INSTANCE = load();

    private static Bundle load() {
      Map<String, File> files = new HashMap<>();
      for (String name : FILES) {
        byte[] bytes = read(RESOURCES + name);
        if (bytes != null) {
          files.put(name, new File(bytes, gzip(bytes)));
        }
      }
      String version = "unknown";
      byte[] manifest = read(RESOURCES + "package.json");
      if (manifest != null) {
        try {
          version = Json.MAPPER.readTree(manifest).path("version").asText("unknown");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (files.isEmpty()) {
        log.warn("This build does not include the socket.io-client bundle; {} and the others answer 404", FILES.get(0));
      }
      return new Bundle(Map.copyOf(files), '"' + version + '"');
    }
  }

  private final String path;
  private final HttpRoute engine;
  private final Bundle bundle = Bundle.INSTANCE;

  /** Serves the client under {@code path} (ending with '/'), and hands everything else to {@code engine}. */
  public ClientBundleRoute(String path, HttpRoute engine) {
    this.path = path;
    this.engine = engine;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String file = file(exchange);
    if (file == null) {
      engine.handle(exchange);
      return;
    }
    File body = bundle.files().get(file);
    if (body == null) {
      exchange.respondJson(HttpResponseStatus.NOT_FOUND,
          "{\"code\":\"CLIENT_NOT_BUILT\",\"message\":\"this build does not include the socket.io-client bundle\"}");
      return;
    }
    String tag = bundle.etag();
    HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.ETAG, tag).set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    if (matches(exchange.header(HttpHeaderNames.IF_NONE_MATCH), tag)) {
      exchange.respondEmpty(HttpResponseStatus.NOT_MODIFIED, headers);
      return;
    }
    headers.set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=0");
    String type = file.endsWith(".map") ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8";
    byte[] bytes = body.plain();
    if (acceptsGzip(exchange.header(HttpHeaderNames.ACCEPT_ENCODING))) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
      bytes = body.gzipped();
    }
    // The HTTP codec leaves out the body of an answer to HEAD, keeping its Content-Length.
    exchange.respond(HttpResponseStatus.OK, type, Unpooled.wrappedBuffer(bytes), headers);
  }
  @Override
  public void onOversizedRequest(HttpRequest request) {
    engine.onOversizedRequest(request);
  }

  @Override
  public void onServerStopping() {
    engine.onServerStopping();
  }

  /** The bundle file a GET or HEAD asks for, or null when the request is not for one. */
  private String file(HttpExchange exchange) {
    HttpMethod method = exchange.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      return null;
    }
    String requested = exchange.path();
    if (!requested.startsWith(path)) {
      return null;
    }
    String name = requested.substring(path.length());
    return FILES.contains(name) ? name : null;
  }

  /** Whether {@code Accept-Encoding} names gzip (or any coding) without refusing it with {@code q=0}. */
  static boolean acceptsGzip(Optional<String> acceptEncoding) {
    if (acceptEncoding.isEmpty()) {
      return false;
    }
    for (String coding : acceptEncoding.get().split(",")) {
      String[] parts = coding.split(";");
      String name = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
      if (name.equals("gzip") || name.equals("*")) {
        for (int i = 1; i < parts.length; i++) {
          String parameter = parts[i].strip().replace(" ", "");
          if (parameter.matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static boolean matches(Optional<String> ifNoneMatch, String tag) {
    if (ifNoneMatch.isEmpty()) {
      return false;
    }
    for (String candidate : ifNoneMatch.get().split(",")) {
      String value = candidate.strip();
      if (value.equals("*") || value.equals(tag) || value.equals("W/" + tag)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] read(String resource) {
    try (InputStream in = ClientBundleRoute.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
