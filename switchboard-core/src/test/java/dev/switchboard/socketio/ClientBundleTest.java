package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official browser client served under the Socket.IO path, as Node's {@code serveClient}:
 * the very bytes of the socket.io-client npm package the interop suite installs, with Node's
 * content types and caching headers, over a real HTTP connection.
 */
class ClientBundleTest {
  /** The npm package the build takes the bundle from (tests run in the module's folder). */
  private static final Path PACKAGE = Path.of("..", "interop", "node_modules", "socket.io-client");

  private final HttpClient http = HttpClient.newHttpClient();
  private SocketIoServer io;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      io.close();
      server.close();
    }
    http.close();
  }

  private String start(SocketIoOptions options) {
    io = SocketIoServer.create(options);
    server = io.listen("127.0.0.1", 0);
    return "http://127.0.0.1:" + server.port() + "/socket.io/";
  }

  private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String version() throws IOException {
    return new ObjectMapper().readTree(PACKAGE.resolve("package.json").toFile()).path("version").asText();
  }

  @Test
  void servesEveryFileOfTheBundleWithNodesHeaders() throws Exception {
    String base = start(SocketIoOptions.defaults());
    String etag = '"' + version() + '"';
    assertThat(version()).startsWith("4.8.");
    for (String file : List.of("socket.io.js", "socket.io.min.js", "socket.io.esm.min.js",
        "socket.io.js.map", "socket.io.min.js.map", "socket.io.esm.min.js.map",
        "socket.io.msgpack.min.js", "socket.io.msgpack.min.js.map")) {
      HttpResponse<byte[]> response = get(base + file);
      assertThat(response.statusCode()).as(file).isEqualTo(200);
      assertThat(response.body()).as(file).isEqualTo(Files.readAllBytes(PACKAGE.resolve("dist").resolve(file)));
      assertThat(response.headers().firstValue("content-type")).as(file).contains(file.endsWith(".map")
          ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8");
      assertThat(response.headers().firstValue("etag")).as(file).contains(etag);
      assertThat(response.headers().firstValue("cache-control")).as(file).contains("public, max-age=0");
    }
  }

  @Test
  void answersNotModifiedToTheVersionItServes() throws Exception {
    String base = start(SocketIoOptions.defaults());
    String etag = '"' + version() + '"';

    HttpResponse<byte[]> cached = get(base + "socket.io.min.js", "If-None-Match", etag);
    assertThat(cached.statusCode()).isEqualTo(304);
    assertThat(cached.body()).isEmpty();
    assertThat(cached.headers().firstValue("etag")).contains(etag);

    HttpResponse<byte[]> stale = get(base + "socket.io.min.js", "If-None-Match", "\"4.0.0\"");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).hasSizeGreaterThan(10_000);
  }

  @Test
  void compressesForClientsThatAcceptGzip() throws Exception {
    String base = start(SocketIoOptions.defaults());
    byte[] file = Files.readAllBytes(PACKAGE.resolve("dist").resolve("socket.io.js"));

    HttpResponse<byte[]> gzipped = get(base + "socket.io.js", "Accept-Encoding", "gzip, deflate, br");
    assertThat(gzipped.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(gzipped.headers().firstValue("vary")).contains("accept-encoding");
    assertThat(gzipped.body().length).isLessThan(file.length / 2);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(file);
    }

    HttpResponse<byte[]> refused = get(base + "socket.io.js", "Accept-Encoding", "gzip;q=0, identity");
    assertThat(refused.headers().firstValue("content-encoding")).isEmpty();
    assertThat(refused.body()).isEqualTo(file);
  }

  @Test
  void headTellsTheLengthWithoutTheBody() throws Exception {
    String base = start(SocketIoOptions.defaults());
    HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + "socket.io.js"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("content-length"))
        .hasValue(Files.size(PACKAGE.resolve("dist").resolve("socket.io.js")));
  }

  @Test
  void otherRequestsUnderThePathStillReachEngineIo() throws Exception {
    String base = start(SocketIoOptions.defaults());
    assertThat(get(base + "?EIO=4&transport=polling").body()).startsWith((byte) '0');
    // Names the bundle does not hold are Engine.IO requests, as elsewhere.
    assertThat(get(base + "socket.io.msgpack.js").statusCode()).isEqualTo(400);
    assertThat(get(base + "socket.io.jsx").statusCode()).isEqualTo(400);
  }

  @Test
  void servesNothingWhenTurnedOff() throws Exception {
    String base = start(SocketIoOptions.builder().serveClient(false).build());
    HttpResponse<byte[]> response = get(base + "socket.io.js");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new String(response.body())).contains("Transport unknown");
  }

  @Test
  void followsACustomPath() throws Exception {
    start(SocketIoOptions.builder().path("/rt").build());
    String url = "http://127.0.0.1:" + server.port() + "/rt/socket.io.js";
    assertThat(get(url).statusCode()).isEqualTo(200);
  }
}
