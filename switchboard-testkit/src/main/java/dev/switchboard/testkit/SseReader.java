package dev.switchboard.testkit;

import dev.switchboard.sse.SseParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An EventSource over a plain socket: sends one HTTP/1.1 GET, reads the response head, then (for
 * a {@code 200 text/event-stream}) parses the body into events on a virtual thread, as a browser
 * would: {@code id:}, {@code event:}, {@code data:} (joined with line breaks), {@code retry:} and
 * comments. Every event carries the {@link System#nanoTime()} it arrived at, for latency.
 * Other responses are read whole into {@link #body()}.
 */
public final class SseReader implements AutoCloseable {
  /**
   * One dispatched event: {@code id} is the last event id as the browser gives it ({@code ""} when
   * the stream has set none), {@code event} is {@code "message"} when the stream named none.
   */
  public record Event(String id, String event, String data, long receivedNanos) {}

  private static final Event END = new Event("", "", "", 0);

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers;
  /** The whole body of a response that is not an event stream; empty for a stream. */
  private final Optional<String> body;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean endedCleanly;
  /** The last {@code retry:} value, or -1 before any. */
  private volatile long retryMillis = -1;
  private volatile String lastEventId = "";
  private boolean endSeen;

  private SseReader(Socket socket, InputStream in, int status, Map<String, String> headers, Optional<String> body) {
    this.socket = socket;
    this.in = in;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** Opens {@code GET pathAndQuery} on {@code 127.0.0.1:port}. */
  public static SseReader open(int port, String pathAndQuery) throws IOException {
    return open("127.0.0.1", port, pathAndQuery, Map.of());
  }

  /** Opens {@code GET pathAndQuery} with extra request headers (e.g. {@code Last-Event-ID}). */
  public static SseReader open(int port, String pathAndQuery, Map<String, String> requestHeaders) throws IOException {
    return open("127.0.0.1", port, pathAndQuery, requestHeaders);
  }

  public static SseReader open(String host, int port, String pathAndQuery, Map<String, String> requestHeaders)
      throws IOException {
    return open(host, port, "GET", pathAndQuery, requestHeaders);
  }

  public static SseReader open(String host, int port, String method, String pathAndQuery,
      Map<String, String> requestHeaders) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      StringBuilder request = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
          .append("Host: ").append(host).append(':').append(port).append("\r\n")
          .append("Accept: text/event-stream\r\n");
      requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();

      InputStream in = new BufferedInputStream(socket.getInputStream());
      String statusLine = readLine(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP response: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      boolean stream = status == 200 && headers.getOrDefault("content-type", "").startsWith("text/event-stream");
      Optional<String> body = stream ? Optional.empty()
          : Optional.of(new String(readBody(in, headers), StandardCharsets.UTF_8));
      SseReader reader = new SseReader(socket, in, status, headers, body);
      if (stream) {
        socket.setSoTimeout(0);
        Thread.ofVirtual().name("sse-reader-" + socket.getLocalPort()).start(reader::pump);
      } else {
        socket.close();
        reader.ended.countDown();
      }
      return reader;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  public int status() {
    return status;
  }

  /** A response header (case-insensitive name); empty when the response has none. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The body of a response that is not an event stream; empty for an event stream. */
  public Optional<String> body() {
    return body;
  }

  /** The last {@code retry:} value seen; empty before any. */
  public OptionalLong retryMillis() {
    long retry = retryMillis;
    return retry < 0 ? OptionalLong.empty() : OptionalLong.of(retry);
  }

  /** The id the browser would send back as {@code Last-Event-ID} now. */
  public String lastEventId() {
    return lastEventId;
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  /** The next event that is not a presence notice ({@code presence:join} / {@code presence:leave}). */
  public Event nextMessage(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (!event.event().startsWith("presence:")) {
        return event;
      }
    }
  }

  /** The next event; fails when none arrives within {@code timeout} or the stream ends first. */
  public Event next(Duration timeout) throws InterruptedException {
    if (endSeen) {
      throw new AssertionError("the stream has ended");
    }
    Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new AssertionError("no event within " + timeout.toMillis() + " ms");
    }
    if (event == END) {
      endSeen = true;
      throw new AssertionError("the stream ended before the next event");
    }
    return event;
  }

  /** The next {@code count} events, each within {@code timeout}. */
  public List<Event> next(int count, Duration timeout) throws InterruptedException {
    List<Event> taken = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      taken.add(next(timeout));
    }
    return taken;
  }

  /** Events that arrived and were not taken yet (without waiting). */
  public List<Event> drain() {
    List<Event> drained = new ArrayList<>();
    events.drainTo(drained);
    if (drained.remove(END)) {
      endSeen = true;
    }
    return drained;
  }

  /** Waits for the server to end the stream; true when it did within {@code timeout}. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the stream ended with HTTP's own end (the last chunk), not a cut connection. */
  public boolean endedCleanly() {
    return endedCleanly;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private void pump() {
    try {
      InputStream body = header("transfer-encoding").filter("chunked"::equalsIgnoreCase).isPresent() ? new ChunkedInput(in) : in;
      parse(body);
    } catch (IOException e) {
      // the connection ended or was closed by this side
    } finally {
      close();
      events.add(END);
      ended.countDown();
    }
  }

  /** Splits the body into lines (CR, LF or CRLF) for the standard's interpretation, {@link SseParser}. */
  private void parse(InputStream body) throws IOException {
    SseParser parser = new SseParser(new SseParser.Listener() {
      @Override
      public void event(String id, String event, String data) {
        // Before the event is handed over: a reader that took it sees the id it set.
        lastEventId = id;
        events.add(new Event(id, event, data, System.nanoTime()));
      }

      @Override
      public void retry(Duration delay) {
        retryMillis = delay.toMillis();
      }

      @Override
      public void comment(String text) {
        comments.add(text.strip());
      }
    });
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int b = body.read(); b >= 0; previous = b, b = body.read()) {
      if (b == '\n' && previous == '\r') {
        continue;
      }
      if (b != '\n' && b != '\r') {
        line.write(b);
        continue;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      parser.line(text);
      lastEventId = parser.lastEventId();
    }
  }

  /** A chunked body as plain bytes; records whether the terminating chunk came. */
  private final class ChunkedInput extends InputStream {
    private final InputStream raw;
    private long left;
    private boolean done;

    ChunkedInput(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      while (left == 0) {
        if (done) {
          return -1;
        }
        String sizeLine = readLine(raw);
        int semicolon = sizeLine.indexOf(';');
        left = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (left == 0) {
          while (!readLine(raw).isEmpty()) {
            // trailers
          }
          done = true;
          endedCleanly = true;
          return -1;
        }
      }
      int b = raw.read();
      if (b < 0) {
        throw new IOException("connection ended inside a chunk");
      }
      if (--left == 0) {
        readLine(raw);
      }
      return b;
    }
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    String length = headers.get("content-length");
    if (length != null) {
      return in.readNBytes(Integer.parseInt(length));
    }
    try {
      return in.readAllBytes();
    } catch (SocketException reset) {
      return new byte[0];
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection ended; got: " + line.toString(StandardCharsets.UTF_8));
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
