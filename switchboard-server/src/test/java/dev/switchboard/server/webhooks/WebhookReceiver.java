package dev.switchboard.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A real HTTP receiver of webhook requests for tests (the JDK's HTTP server on the loopback): it
 * records every request as it came, with its headers and body, and answers each as the test's
 * script says (by the request's number, from 1): a status after an optional delay, for timeouts.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How to answer one request: a status, after a delay or once a latch opens, with an optional Retry-After. */
  record Answer(int status, Duration delay, Optional<CountDownLatch> after, Optional<String> retryAfter) {
    static Answer ok() {
      return status(200);
    }

    static Answer status(int status) {
      return new Answer(status, Duration.ZERO, Optional.empty(), Optional.empty());
    }

    /** 200 after {@code delay}: a backend slower than the request timeout. */
    static Answer slow(Duration delay) {
      return new Answer(200, delay, Optional.empty(), Optional.empty());
    }

    /** 200 once {@code latch} opens: a backend that hangs until the test lets it go. */
    static Answer after(CountDownLatch latch) {
      return new Answer(200, Duration.ZERO, Optional.of(latch), Optional.empty());
    }

    static Answer retryAfter(int status, String seconds) {
      return new Answer(status, Duration.ZERO, Optional.empty(), Optional.of(seconds));
    }
  }

  /** One request as it came: when (nanoTime), its URI, headers (lower-case names), body and what it was answered. */
  record Request(long at, URI uri, Map<String, String> headers, byte[] body, int status) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
    }

    List<JsonNode> events() {
      try {
        List<JsonNode> events = new ArrayList<>();
        MAPPER.readTree(body).path("events").forEach(events::add);
        return events;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile IntFunction<Answer> script = n -> Answer.ok();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/hooks", receiver::handle);
      server.setExecutor(receiver.threads);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers request {@code n} (from 1) as {@code script} says; every request is answered 200 until set. */
  WebhookReceiver answering(IntFunction<Answer> script) {
    this.script = script;
    return this;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
  }

  /** The requests so far, in arrival order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every request as it comes, for a test that waits for each one. */
  BlockingQueue<Request> arrivals() {
    return arrivals;
  }

  /** The events of the requests answered 2xx, in arrival order (with repeats, if any). */
  List<JsonNode> delivered() {
    return requests.stream().filter(request -> request.status() / 100 == 2).flatMap(request -> request.events().stream()).toList();
  }

  /** The delivered events of {@code type}. */
  List<JsonNode> delivered(String type) {
    return delivered().stream().filter(event -> event.path("type").asText().equals(type)).toList();
  }

  /** Every event delivered, each once (by id), in arrival order. */
  List<JsonNode> distinct() {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    delivered().forEach(event -> byId.putIfAbsent(event.path("id").asText(), event));
    return List.copyOf(byId.values());
  }

  private void handle(HttpExchange exchange) throws IOException {
    long at = System.nanoTime();
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
    Answer answer = script.apply(count.incrementAndGet());
    try {
      if (!answer.delay().isZero()) {
        Thread.sleep(answer.delay()); // the slow backend a timeout is tested against
      }
      if (answer.after().isPresent()) {
        answer.after().get().await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Request request = new Request(at, exchange.getRequestURI(), Map.copyOf(headers), body, answer.status());
    requests.add(request);
    arrivals.add(request);
    answer.retryAfter().ifPresent(seconds -> exchange.getResponseHeaders().add("Retry-After", seconds));
    exchange.sendResponseHeaders(answer.status(), -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  static Stream<String> types(List<JsonNode> events) {
    return events.stream().map(event -> event.path("type").asText());
  }
}
