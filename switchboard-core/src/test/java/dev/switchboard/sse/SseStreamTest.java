package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpServer;
import dev.switchboard.testkit.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SseStreamTest {
  private HttpServer server;
  private volatile SseOptions options = SseOptions.DEFAULTS.withRetry(Duration.ofMillis(1500));
  private final BlockingQueue<SseStream> opened = new LinkedBlockingQueue<>();
  private final BlockingQueue<Channel> channels = new LinkedBlockingQueue<>();
  private final AtomicInteger closes = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    server = HttpServer.builder().host("127.0.0.1").port(0).workerThreads(2)
        .route("/events", exchange -> {
          requests.incrementAndGet();
          SseStream stream = SseStream.open(exchange, options);
          stream.onClose(closes::incrementAndGet);
          channels.add(exchange.channel());
          opened.add(stream);
        })
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @AfterAll
  static void noLeaks() {
    assertThat(LeakRecorder.installed()).as("leak recorder installed by the build").isTrue();
    assertThat(LeakRecorder.leaks()).isEmpty();
  }

  private HttpResponse<Stream<String>> get(String origin) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/events"));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
  }

  private SseStream nextStream() throws InterruptedException {
    SseStream stream = opened.poll(5, TimeUnit.SECONDS);
    assertThat(stream).as("stream opened").isNotNull();
    return stream;
  }

  private static List<String> take(Iterator<String> lines, int count) {
    List<String> taken = new ArrayList<>();
    while (taken.size() < count && lines.hasNext()) {
      taken.add(lines.next());
    }
    return taken;
  }

  @Test
  void answersWithStreamingHeadersTheRetryHintAndEvents() throws Exception {
    HttpResponse<Stream<String>> response = get(null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
    assertThat(response.headers().firstValue("cache-control")).contains("no-cache");
    assertThat(response.headers().firstValue("connection")).contains("keep-alive");
    assertThat(response.headers().firstValue("x-accel-buffering")).contains("no");
    assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
    assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
    Iterator<String> lines = response.body().iterator();
    assertThat(take(lines, 2)).containsExactly("retry: 1500", "");

    SseStream stream = nextStream();
    assertThat(stream.send(SseEvent.of("note", "{\"a\":1}\nsecond").withId("7"))).isTrue();
    assertThat(stream.send(SseEvent.data("[DONE]"))).isTrue();
    assertThat(take(lines, 7)).containsExactly("id: 7", "event: note", "data: {\"a\":1}", "data: second", "", "data: [DONE]", "");

    stream.close();
    assertThat(lines.hasNext()).as("stream ends after close").isFalse();
    await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(1));
    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.send(SseEvent.data("late"))).isFalse();
  }

  @Test
  void sendsCorsHeadersWithCredentialsForAllowedOrigins() throws Exception {
    options = options.withCors(CorsOptions.allow("https://app.example.com"));
    HttpResponse<Stream<String>> response = get("https://app.example.com");
    assertThat(response.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
    assertThat(response.headers().firstValue("access-control-allow-credentials")).contains("true");
    nextStream().close();
    response.body().close();
  }

  @Test
  void sendsHeartbeatCommentsOnTheConfiguredInterval() throws Exception {
    options = options.withHeartbeat(Duration.ofMillis(50));
    HttpResponse<Stream<String>> response = get(null);
    Iterator<String> lines = response.body().iterator();
    assertThat(take(lines, 6)).containsExactly("retry: 1500", "", ": heartbeat", "", ": heartbeat", "");
    nextStream().close();
  }

  @Test
  void onCloseFiresOnceWhenTheClientGoesAway() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port(), 0)) {
      client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("retry: 1500\n\n");
    }
    SseStream stream = nextStream();
    await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(1));
    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.send(SseEvent.data("x"))).isFalse();
    stream.close();
    CompletableFuture<Void> late = new CompletableFuture<>();
    stream.onClose(() -> late.complete(null));
    late.get(5, TimeUnit.SECONDS);
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void cutsAClientThatDoesNotRead() throws Exception {
    options = options.withMaxPendingBytes(256 * 1024);
    try (RawHttpClient client = new RawHttpClient(server.port(), 4096)) {
      client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
      SseStream stream = nextStream();
      SseEvent big = SseEvent.data("x".repeat(64 * 1024));
      CompletableFuture<Integer> sent = new CompletableFuture<>();
      stream.executor().execute(() -> {
        int count = 0;
        while (count < 100_000 && stream.send(big)) {
          count++;
        }
        sent.complete(count);
      });
      int count = sent.get(10, TimeUnit.SECONDS);
      assertThat(count).as("events accepted before the cut").isLessThan(100_000);
      await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(1));
      await().untilAsserted(() -> assertThat(stream.pendingBytes()).isZero());
      assertThat(client.readToEnd().length()).as("bytes the client can still read").isLessThan((count + 1) * 70 * 1024);
    }
  }

  @Test
  void oneEncodedBufferFansOutToManyStreams() throws Exception {
    List<HttpResponse<Stream<String>>> responses = new ArrayList<>();
    List<Iterator<String>> readers = new ArrayList<>();
    List<SseStream> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      responses.add(get(null));
      readers.add(responses.get(i).body().iterator());
      streams.add(nextStream());
    }
    ByteBuf shared = SseEncoder.encode(SseEvent.of("tick", "{\"n\":1}"), ByteBufAllocator.DEFAULT);
    try {
      for (SseStream stream : streams) {
        assertThat(stream.sendShared(shared)).isTrue();
      }
    } finally {
      shared.release();
    }
    for (Iterator<String> lines : readers) {
      assertThat(take(lines, 5)).containsExactly("retry: 1500", "", "event: tick", "data: {\"n\":1}", "");
    }
    await().untilAsserted(() -> assertThat(shared.refCnt()).isZero());
    streams.forEach(SseStream::close);
    await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(3));
  }

  @Test
  void theConnectionIsNeverReusedForAnotherRequest() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port(), 0)) {
      client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\nGET /events HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = client.readUntil("retry: 1500\n\n");
      assertThat(head).startsWith("HTTP/1.1 200 OK");
      nextStream().close();
      String rest = client.readToEnd();
      assertThat(rest).endsWith("0\r\n\r\n").doesNotContain("HTTP/1.1");
    }
    assertThat(requests.get()).isEqualTo(1);
    await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(1));
  }

  @Test
  void http10ClientsGetACloseDelimitedStream() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port(), 0)) {
      String head = client.send("GET /events HTTP/1.0\r\n\r\n").readUntil("retry: 1500\n\n");
      assertThat(head).startsWith("HTTP/1.0 200 OK").doesNotContainIgnoringCase("transfer-encoding");
      SseStream stream = nextStream();
      stream.send(SseEvent.data("hi"));
      stream.close();
      assertThat(client.readToEnd()).isEqualTo("data: hi\n\n");
    }
  }

  @Test
  void http11EventsLeaveAsChunksInTheOrderSentFromAnyThread() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port(), 0)) {
      String head = client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("\r\n\r\n");
      assertThat(head).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("transfer-encoding: chunked");
      SseStream stream = nextStream();
      for (int i = 0; i < 3; i++) {
        stream.send(SseEvent.data("n" + i));
      }
      stream.comment("c");
      stream.close();
      assertThat(client.readToEnd()).isEqualTo("d\r\nretry: 1500\n\n\r\n"
          + "a\r\ndata: n0\n\n\r\n" + "a\r\ndata: n1\n\n\r\n" + "a\r\ndata: n2\n\n\r\n"
          + "5\r\n: c\n\n\r\n" + "0\r\n\r\n");
    }
    await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(1));
  }

  @Test
  void pendingBytesAreWhatTheConnectionHasNotWrittenYet() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port(), 0)) {
      client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("retry: 1500\n\n");
      SseStream stream = nextStream();
      Channel channel = channels.take();
      CompletableFuture<long[]> seen = new CompletableFuture<>();
      stream.executor().execute(() -> {
        stream.send(SseEvent.data("x".repeat(500)));
        stream.send(SseEvent.data("y".repeat(500)));
        seen.complete(new long[] {stream.pendingBytes(), channel.unsafe().outboundBuffer().totalPendingWriteBytes()});
      });
      long[] pending = seen.get(5, TimeUnit.SECONDS);
      assertThat(pending[0]).as("unflushed until the end of the loop's task").isGreaterThan(1000).isEqualTo(pending[1]);
      client.readUntil("y\n\n");
      await().untilAsserted(() -> assertThat(stream.pendingBytes()).isZero());
      stream.close();
    }
  }

  @Test
  void cutsAClientThatDoesNotReadWhenSentFromAnotherThread() throws Exception {
    options = options.withMaxPendingBytes(256 * 1024);
    try (RawHttpClient client = new RawHttpClient(server.port(), 4096)) {
      client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
      SseStream stream = nextStream();
      SseEvent big = SseEvent.data("x".repeat(64 * 1024));
      int count = 0;
      while (count < 100_000 && stream.send(big)) {
        count++;
      }
      assertThat(count).as("events accepted before the cut").isLessThan(100_000);
      assertThat(stream.isOpen()).isFalse();
      await().untilAsserted(() -> assertThat(closes.get()).isEqualTo(1));
      await().untilAsserted(() -> assertThat(stream.pendingBytes()).isZero());
    }
  }
}
