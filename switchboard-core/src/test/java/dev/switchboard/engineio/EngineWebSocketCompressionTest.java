package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.LeakDetectionExtension;
import dev.switchboard.testkit.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * permessage-deflate (RFC 7692) from a raw client that compresses and inflates with the JDK's
 * zlib: negotiation, messages both ways, context takeover, and hostile input (a decompression
 * bomb closes with 1009, a bystander goes on). The server echoes every message.
 */
@ExtendWith(LeakDetectionExtension.class)
class EngineWebSocketCompressionTest {
  private static final int LIMIT = 100_000;
  private static final int THRESHOLD = 64;
  private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
  private static final int RSV1 = 4;

  private EngineTestServer server;

  private void start(WebSocketCompression compression) {
    server = EngineTestServer.start(EngineIoOptions.builder().maxHttpBufferSize(LIMIT)
        .webSocketCompression(compression).build(), 4);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void off_by_default_the_offer_is_ignored_and_a_compressed_frame_is_a_protocol_error() {
    server = EngineTestServer.start(EngineIoOptions.builder().maxHttpBufferSize(LIMIT).build(), 2);
    RawConnection ws = RawConnection.webSocket(server.port(), target(), OFFER);
    RawConnection.Answer answer = ws.readAnswer();
    assertThat(answer.status()).isEqualTo(101);
    assertThat(answer.header("Sec-WebSocket-Extensions")).isNull();
    assertThat(ws.readFrame().text()).startsWith("0{");
    ws.sendFrame(true, RSV1, RawConnection.TEXT, compress("4hello"));
    assertThat(ws.readUntilClose().closeCode()).isEqualTo(1002);
    ws.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "permessage-deflate | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
      "permessage-deflate; client_max_window_bits | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
      "permessage-deflate; server_max_window_bits=15; client_max_window_bits=10 | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
      "permessage-deflate; server_max_window_bits=10 | ",
      "permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
      "permessage-deflate; mystery | ",
      "permessage-deflate; client_no_context_takeover; client_no_context_takeover | ",
      "x-webkit-deflate-frame | ",
  })
  void the_server_accepts_the_first_offer_it_can_honour(String offer, String answered) {
    start(WebSocketCompression.defaults());
    RawConnection ws = RawConnection.webSocket(server.port(), target(), "Sec-WebSocket-Extensions: " + offer + "\r\n");
    RawConnection.Answer answer = ws.readAnswer();
    assertThat(answer.status()).isEqualTo(101);
    assertThat(answer.header("Sec-WebSocket-Extensions")).isEqualTo(answered);
    ws.close();
  }

  @Test
  void messages_from_the_threshold_up_go_both_ways_compressed_smaller_ones_plain() throws Exception {
    start(WebSocketCompression.defaults().withThreshold(THRESHOLD));
    try (RawConnection ws = openCompressed()) {
      String big = "4" + "{\"text\":\"hello\"}".repeat(500);
      ws.sendFrame(true, RSV1, RawConnection.TEXT, compress(big));
      RawConnection.Frame echo = ws.readFrame();
      assertThat(echo.rsv()).isEqualTo(RSV1);
      assertThat(echo.payload().length).isLessThan(big.length() / 10);
      assertThat(inflate(echo.payload(), new Inflater(true))).isEqualTo(big);

      ws.sendText("4small");
      RawConnection.Frame small = ws.readFrame();
      assertThat(small.rsv()).isZero();
      assertThat(small.text()).isEqualTo("4small");

      // Binary, and a compressed message in two frames (RSV1 on the first only).
      byte[] binary = new byte[5000];
      byte[] compressed = compress(binary);
      ws.sendFrame(false, RSV1, RawConnection.BINARY, Arrays.copyOfRange(compressed, 0, 3));
      ws.sendFrame(true, 0, RawConnection.CONTINUATION, Arrays.copyOfRange(compressed, 3, compressed.length));
      RawConnection.Frame binaryEcho = ws.readFrame();
      assertThat(binaryEcho.opcode()).isEqualTo(RawConnection.BINARY);
      assertThat(binaryEcho.rsv()).isEqualTo(RSV1);
      assertThat(inflateBytes(binaryEcho.payload(), new Inflater(true))).isEqualTo(binary);
    }
    assertThat(server.received()).containsExactly(
        "{\"text\":\"hello\"}".repeat(500), "small", "binary:5000");
  }

  @Test
  void with_context_takeover_both_sides_keep_their_window_between_messages() throws Exception {
    start(new WebSocketCompression(THRESHOLD, true, true, WebSocketCompression.DEFAULT_LEVEL));
    RawConnection ws = RawConnection.webSocket(server.port(), target(), OFFER);
    RawConnection.Answer answer = ws.readAnswer();
    assertThat(answer.header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
    Deflater clientDeflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    Inflater clientInflater = new Inflater(true);
    // The open packet is over the threshold too: the server's context starts with it.
    assertThat(text(ws.readFrame(), clientInflater)).startsWith("0{");
    String message = "4" + "the same words again and again ".repeat(20);
    int firstSize = 0;
    for (int i = 0; i < 3; i++) {
      ws.sendFrame(true, RSV1, RawConnection.TEXT, compress(message.getBytes(StandardCharsets.UTF_8), clientDeflater, false));
      RawConnection.Frame echo = ws.readFrame();
      assertThat(echo.rsv()).isEqualTo(RSV1);
      assertThat(inflate(echo.payload(), clientInflater)).isEqualTo(message);
      if (i == 0) {
        firstSize = echo.payload().length;
      } else {
        // The second time, the whole message is a back-reference into the kept window.
        assertThat(echo.payload().length).isLessThan(firstSize / 2);
      }
    }
    ws.close();
  }

  @Test
  void a_decompression_bomb_closes_with_1009_and_a_bystander_goes_on() throws Exception {
    start(WebSocketCompression.defaults().withThreshold(THRESHOLD));
    try (RawConnection bystander = openCompressed()) {
      byte[] bomb = compress(new byte[50 * LIMIT]);
      assertThat(bomb.length).isLessThan(LIMIT / 10);
      try (RawConnection ws = openCompressed()) {
        ws.sendFrame(true, RSV1, RawConnection.BINARY, bomb);
        assertThat(ws.readUntilClose().closeCode()).isEqualTo(1009);
        assertThat(ws.closedByServer()).isTrue();
      }
      assertThat(server.nextClose(Duration.ofSeconds(5)).reason()).isEqualTo(CloseReason.TRANSPORT_ERROR);
      assertThat(server.received()).isEmpty();

      // Exactly the limit inflates fine.
      byte[] atLimit = new byte[LIMIT];
      bystander.sendFrame(true, RSV1, RawConnection.BINARY, compress(atLimit));
      assertThat(inflateBytes(bystander.readFrame().payload(), new Inflater(true))).isEqualTo(atLimit);
      bystander.sendText("4still here");
      assertThat(bystander.readFrame().text()).isEqualTo("4still here");
    }
  }

  @Test
  void bytes_that_do_not_inflate_close_with_1007() {
    start(WebSocketCompression.defaults());
    try (RawConnection ws = openCompressed()) {
      ws.sendFrame(true, RSV1, RawConnection.TEXT, new byte[] {(byte) 0xff, (byte) 0xff, 0x12, 0x34});
      assertThat(ws.readUntilClose().closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void rsv1_on_a_continuation_or_control_frame_and_rsv2_are_protocol_errors() {
    start(WebSocketCompression.defaults());
    try (RawConnection ws = openCompressed()) {
      ws.sendFrame(false, 0, RawConnection.TEXT, "4a".getBytes(StandardCharsets.UTF_8));
      ws.sendFrame(true, RSV1, RawConnection.CONTINUATION, compress("b"));
      assertThat(ws.readUntilClose().closeCode()).isEqualTo(1002);
    }
    try (RawConnection ws = openCompressed()) {
      ws.sendFrame(true, 2, RawConnection.TEXT, "4a".getBytes(StandardCharsets.UTF_8));
      assertThat(ws.readUntilClose().closeCode()).isEqualTo(1002);
    }
  }

  private RawConnection openCompressed() {
    RawConnection ws = RawConnection.webSocket(server.port(), target(), OFFER);
    RawConnection.Answer answer = ws.readAnswer();
    assertThat(answer.status()).isEqualTo(101);
    assertThat(answer.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    assertThat(text(ws.readFrame(), new Inflater(true))).startsWith("0{\"sid\":");
    return ws;
  }

  private String target() {
    return server.path() + "?EIO=4&transport=websocket";
  }

  private static byte[] compress(String text) {
    return compress(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] compress(byte[] data) {
    return compress(data, new Deflater(Deflater.DEFAULT_COMPRESSION, true), true);
  }

  /** A message's payload as RFC 7692 wants it: raw DEFLATE, sync flush, without the 00 00 ff ff tail. */
  static byte[] compress(byte[] data, Deflater deflater, boolean end) {
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
      out.write(buffer, 0, n);
    } while (n == buffer.length);
    if (end) {
      deflater.end();
    }
    byte[] all = out.toByteArray();
    assertThat(Arrays.copyOfRange(all, all.length - 4, all.length)).containsExactly(0, 0, 0xff, 0xff);
    return Arrays.copyOf(all, all.length - 4);
  }

  /** A text frame's message, inflated when RSV1 says it is compressed. */
  private static String text(RawConnection.Frame frame, Inflater inflater) {
    try {
      return frame.rsv() == RSV1 ? inflate(frame.payload(), inflater) : frame.text();
    } catch (DataFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static String inflate(byte[] payload, Inflater inflater) throws DataFormatException {
    return new String(inflateBytes(payload, inflater), StandardCharsets.UTF_8);
  }

  static byte[] inflateBytes(byte[] payload, Inflater inflater) throws DataFormatException {
    byte[] input = Arrays.copyOf(payload, payload.length + 4);
    input[payload.length + 2] = (byte) 0xff;
    input[payload.length + 3] = (byte) 0xff;
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!inflater.needsInput()) {
      int n = inflater.inflate(buffer);
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
