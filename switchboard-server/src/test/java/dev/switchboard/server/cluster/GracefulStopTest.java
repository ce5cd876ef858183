package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real SIGTERM ends the standalone server within --drain-timeout, also when a connection will not go. */
class GracefulStopTest {
  private static final Pattern DRAINED = Pattern.compile("drained in (\\d+) ms: (\\d+) connections, \\d+ SSE streams, (\\d+) cut");

  @Test
  void aConnectionThatWillNotGoIsCutAndTheProcessExitsWithinTheDrainTimeout() throws Exception {
    try (ServerProcess node = ServerProcess.start(Map.of(), "--drain-window", "0", "--drain-timeout", "3s")) {
      // A polling client that never polls again: its closing session waits for a poll that never comes.
      HttpResponse<String> handshake = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=polling")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(handshake.statusCode()).isEqualTo(200);

      long sigterm = System.nanoTime();
      node.terminate();
      OptionalInt exit = node.awaitExit(Duration.ofSeconds(10));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);

      assertThat(exit).isPresent();
      System.out.println("SIGTERM to exit with a connection that would not go: " + tookMs + " ms");
      assertThat(tookMs).isLessThan(3_000);
      Matcher drained = node.line(DRAINED).orElseThrow(() -> new AssertionError("no drain report"));
      assertThat(drained.group(2)).isEqualTo("1");
      assertThat(drained.group(3)).as("cut at the timeout").isEqualTo("1");
    }
  }

  @Test
  void aNodeWithoutConnectionsExitsAtOnce() throws Exception {
    try (ServerProcess node = ServerProcess.start(Map.of())) {
      long sigterm = System.nanoTime();
      node.terminate();
      assertThat(node.awaitExit(Duration.ofSeconds(10))).isPresent();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
      System.out.println("SIGTERM to exit without connections: " + tookMs + " ms");
      assertThat(tookMs).isLessThan(2_000);
      assertThat(node.line(DRAINED)).isPresent();
    }
  }
}
