package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.PollingClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** One HTTP request written as given (no client-side checks of the URI or headers), answer read to the end. */
final class RawRequest {
  /** The headers of a WebSocket handshake. */
  static final String WEBSOCKET_UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

  private RawRequest() {}

  /** Sends {@code GET target} with {@code headers} (each ending in CRLF) and returns the whole answer. */
  static String get(int port, String target, String headers) {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + headers + (headers.contains("Connection:") ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      // The head, then a body of Content-Length bytes (or up to the end when there is none).
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      while (!answer.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return answer.toString(StandardCharsets.UTF_8);
        }
        answer.write(b);
      }
      java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
          .matcher(answer.toString(StandardCharsets.ISO_8859_1));
      if (length.find()) {
        answer.write(in.readNBytes(Integer.parseInt(length.group(1))));
      } else {
        in.transferTo(answer);
      }
      return answer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts an Engine.IO error answer: {@code status} with {@code {"code":..,"message":..}}. */
  static void assertEngineError(HttpResponse<String> response, int status, int code, String message) {
    assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(status);
    assertThat(PollingClient.parse(response.body()))
        .isEqualTo(PollingClient.parse("{\"code\":" + code + ",\"message\":\"" + message + "\"}"));
  }
}
