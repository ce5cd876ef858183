package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineHandshakeTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.PollingClient;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP long-polling against an echoing Engine.IO server, after the reference test suite. */
class EnginePollingTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private EngineTestServer server;
  private PollingClient client;

  @BeforeEach
  void start() {
    // Default heartbeat (25 s): nothing here may depend on a ping.
    server = EngineTestServer.start(EngineIoOptions.builder().maxHttpBufferSize(1000).build());
    client = new PollingClient(server.port(), server.path());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void a_post_is_answered_ok_and_the_echo_comes_with_the_next_get() {
    String sid = client.handshake().sid();

    HttpResponse<String> post = client.push(sid, "4hello");
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("ok");

    HttpResponse<String> poll = client.poll(sid);
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    assertThat(poll.body()).isEqualTo("4hello");
  }

  @Test
  void several_packets_are_split_on_the_way_in_and_joined_with_record_separators_on_the_way_out() throws Exception {
    String sid = client.handshake().sid();

    assertThat(client.push(sid, "4test1\u001e4test2\u001e4test3").body()).isEqualTo("ok");
    assertThat(List.of(next(), next(), next())).containsExactly("test1", "test2", "test3");

    assertThat(client.poll(sid).body()).isEqualTo("4test1\u001e4test2\u001e4test3");
  }

  @Test
  void binary_packets_travel_as_b_and_base64_between_text_packets() throws Exception {
    String sid = client.handshake().sid();

    assertThat(client.push(sid, "4hello\u001ebAQIDBA==").body()).isEqualTo("ok");
    assertThat(List.of(next(), next())).containsExactly("hello", "binary:4");

    assertThat(client.poll(sid).body()).isEqualTo("4hello\u001ebAQIDBA==");
  }

  @Test
  void a_pending_get_is_answered_as_soon_as_a_message_is_written() {
    String sid = client.handshake().sid();
    CompletableFuture<HttpResponse<String>> poll = client.pollAsync(sid);
    await().atMost(WAIT).until(() -> server.hasPendingGet(sid));
    assertThat(poll).isNotDone();

    server.session(sid).send("from the server");

    assertThat(poll).succeedsWithin(WAIT).extracting(HttpResponse::body).isEqualTo("4from the server");
  }

  @Test
  void utf8_text_survives_the_round_trip() {
    String sid = client.handshake().sid();
    client.push(sid, "4héllo €\u2028 \uD83D\uDE00");
    assertThat(client.poll(sid).body()).isEqualTo("4héllo €\u2028 \uD83D\uDE00");
  }

  @Test
  void an_invalid_packet_is_refused_with_400_and_closes_the_session() throws Exception {
    String sid = client.handshake().sid();

    assertError(client.push(sid, "abc"), 3, "Bad request");

    assertClosed(sid, CloseReason.PARSE_ERROR);
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void an_empty_post_is_refused_and_closes_the_session() throws Exception {
    String sid = client.handshake().sid();
    assertError(client.push(sid, ""), 3, "Bad request");
    assertClosed(sid, CloseReason.PARSE_ERROR);
  }

  @Test
  void a_second_concurrent_get_is_refused_with_400_and_the_session_closes() throws Exception {
    String sid = client.handshake().sid();
    CompletableFuture<HttpResponse<String>> first = client.pollAsync(sid);
    CompletableFuture<HttpResponse<String>> second = client.pollAsync(sid);

    List<HttpResponse<String>> answers = List.of(
        first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
    // Whichever arrived first was pending: it is ended with a close packet; the other is refused.
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 400);
    HttpResponse<String> ended = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
    assertThat(ended.body()).isEqualTo("1");

    assertClosed(sid, CloseReason.TRANSPORT_ERROR);
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void a_get_whose_connection_is_dropped_closes_the_session() throws Exception {
    String sid = client.handshake().sid();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + server.path() + "?" + PollingClient.session(sid) + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(WAIT).until(() -> server.hasPendingGet(sid));
    }

    assertClosed(sid, CloseReason.TRANSPORT_ERROR);
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void a_close_packet_ends_the_pending_get_with_a_noop_and_closes_the_session() throws Exception {
    String sid = client.handshake().sid();
    CompletableFuture<HttpResponse<String>> poll = client.pollAsync(sid);
    await().atMost(WAIT).until(() -> server.hasPendingGet(sid));

    assertThat(client.push(sid, "1").body()).isEqualTo("ok");

    assertThat(poll).succeedsWithin(WAIT).extracting(HttpResponse::body).isEqualTo("6");
    assertClosed(sid, CloseReason.TRANSPORT_CLOSE);
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void packets_after_a_close_packet_in_the_same_payload_are_ignored() throws Exception {
    String sid = client.handshake().sid();
    assertThat(client.push(sid, "4before\u001e1\u001e4after").body()).isEqualTo("ok");
    assertThat(next()).isEqualTo("before");
    assertClosed(sid, CloseReason.TRANSPORT_CLOSE);
    assertThat(server.received()).isEmpty();
  }

  @Test
  void a_server_side_close_hands_the_queued_packets_then_a_close_packet_to_the_next_gets() throws Exception {
    String sid = client.handshake().sid();
    server.session(sid).send("last words");
    server.session(sid).close();
    assertClosed(sid, CloseReason.FORCED_CLOSE);

    // Never in one payload: a client handles the close packet first and would drop the rest.
    assertThat(client.poll(sid).body()).isEqualTo("4last words");
    assertThat(client.poll(sid).body()).isEqualTo("1");
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void a_post_at_max_http_buffer_size_is_accepted() throws Exception {
    String sid = client.handshake().sid();
    String message = "4" + "x".repeat(999);

    HttpResponse<String> post = client.push(sid, message);

    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("ok");
    assertThat(next()).hasSize(999);
    assertThat(client.poll(sid).body()).isEqualTo(message);
  }

  @Test
  void a_post_over_max_http_buffer_size_is_refused_and_not_delivered() {
    String sid = client.handshake().sid();

    HttpResponse<String> post = client.push(sid, "4" + "x".repeat(1000));

    assertThat(post.statusCode()).isEqualTo(413);
    assertThat(post.body()).isNotEqualTo("ok");
    assertThat(server.received()).isEmpty();
  }

  private String next() throws InterruptedException {
    String message = server.nextReceived(WAIT);
    assertThat(message).as("a message reached the server").isNotNull();
    return message;
  }

  private void assertClosed(String sid, CloseReason reason) throws InterruptedException {
    EngineTestServer.Closed closed = server.nextClose(WAIT);
    assertThat(closed).as("the session closed").isNotNull();
    assertThat(closed.sid()).isEqualTo(sid);
    assertThat(closed.reason()).isEqualTo(reason);
  }
}
