package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.LeakDetectionExtension;
import dev.switchboard.testkit.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Frames that break RFC 6455 or the server's limits, from a raw WebSocket client; a bystander goes on. */
@ExtendWith(LeakDetectionExtension.class)
class EngineWebSocketFramingTest {
  /** The first frame of a message and its continuations, as many as the server takes. */
  private static final int MAX_FRAMES = 1024;
  private static final byte[] NONE = new byte[0];

  private EngineTestServer server;
  private RawConnection bystander;

  @BeforeEach
  void start() {
    server = EngineTestServer.start(EngineIoOptions.defaults(), 4);
    bystander = open();
  }

  @AfterEach
  void stop() {
    assertEchoes(bystander, "4still here");
    bystander.close();
    server.close();
  }

  @Test
  void a_text_frame_that_is_not_utf8_closes_with_1007() throws Exception {
    try (RawConnection ws = open()) {
      ws.sendFrame(true, RawConnection.TEXT, bytes("4", 0xC3, 0x28));
      assertThat(ws.readUntilClose().closeCode()).isEqualTo(1007);
      assertThat(ws.closedByServer()).isTrue();
    }
    assertThat(server.nextClose(Duration.ofSeconds(5)).reason()).isEqualTo(CloseReason.TRANSPORT_ERROR);
    assertThat(server.received()).isEmpty();
  }

  @Test
  void a_fragmented_text_message_that_is_not_utf8_closes_with_1007() {
    try (RawConnection ws = open()) {
      ws.sendFrame(false, RawConnection.TEXT, bytes("4", 0xE2, 0x82));
      ws.sendFrame(true, RawConnection.CONTINUATION, bytes("(")); // not the last byte of the euro sign
      assertThat(ws.readUntilClose().closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void a_character_split_across_fragments_is_fine() {
    try (RawConnection ws = open()) {
      ws.sendFrame(false, RawConnection.TEXT, bytes("4", 0xE2, 0x82));
      ws.sendFrame(true, RawConnection.CONTINUATION, bytes("", 0xAC));
      assertThat(ws.readFrame().text()).isEqualTo("4\u20ac");
    }
  }

  @Test
  void a_message_in_as_many_frames_as_allowed_is_fine() {
    try (RawConnection ws = open()) {
      ws.sendFrame(false, RawConnection.TEXT, bytes("4a"));
      for (int i = 0; i < MAX_FRAMES - 2; i++) {
        ws.sendFrame(false, RawConnection.CONTINUATION, NONE);
      }
      ws.sendFrame(true, RawConnection.CONTINUATION, bytes("b"));
      assertThat(ws.readFrame().text()).isEqualTo("4ab");
    }
  }

  @Test
  void one_continuation_frame_past_the_limit_closes_with_1009() throws Exception {
    try (RawConnection ws = open()) {
      ws.sendFrame(false, RawConnection.TEXT, bytes("4a"));
      for (int i = 0; i < MAX_FRAMES; i++) {
        ws.sendFrame(false, RawConnection.CONTINUATION, NONE);
      }
      assertThat(ws.readUntilClose().closeCode()).isEqualTo(1009);
      assertThat(ws.closedByServer()).isTrue();
    }
    assertThat(server.nextClose(Duration.ofSeconds(5)).reason()).isEqualTo(CloseReason.TRANSPORT_ERROR);
  }

  private RawConnection open() {
    RawConnection ws = RawConnection.webSocket(server.port(), server.path() + "?EIO=4&transport=websocket");
    assertThat(ws.readAnswer().status()).isEqualTo(101);
    assertThat(ws.readFrame().text()).startsWith("0{\"sid\":");
    return ws;
  }

  private static void assertEchoes(RawConnection ws, String packet) {
    ws.sendText(packet);
    assertThat(ws.readFrame().text()).isEqualTo(packet);
  }

  private static byte[] bytes(String ascii, int... more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    for (int b : more) {
      out.write(b);
    }
    return out.toByteArray();
  }
}
