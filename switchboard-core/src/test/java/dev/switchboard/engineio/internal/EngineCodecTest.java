package dev.switchboard.engineio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Engine.IO v4 codec against the examples of the protocol specification. */
class EngineCodecTest {

  // ---- decoding single packets

  @Test
  void decodes_a_text_message() {
    assertThat(EngineCodec.decodeText("4hello")).isEqualTo(new EnginePacket.TextMessage("hello"));
    assertThat(EngineCodec.decodeText("4")).isEqualTo(new EnginePacket.TextMessage(""));
    assertThat(EngineCodec.decodeText("4€ ü \u001f")).isEqualTo(new EnginePacket.TextMessage("€ ü \u001f"));
  }

  @Test
  void decodes_ping_and_pong_with_and_without_probe() {
    assertThat(EngineCodec.decodeText("2")).isEqualTo(new EnginePacket.Ping(""));
    assertThat(EngineCodec.decodeText("2probe")).isEqualTo(new EnginePacket.Ping("probe"));
    assertThat(EngineCodec.decodeText("3")).isEqualTo(new EnginePacket.Pong(""));
    assertThat(EngineCodec.decodeText("3probe")).isEqualTo(new EnginePacket.Pong("probe"));
  }

  @Test
  void decodes_close_upgrade_and_noop() {
    assertThat(EngineCodec.decodeText("1")).isSameAs(EnginePacket.CLOSE);
    assertThat(EngineCodec.decodeText("5")).isSameAs(EnginePacket.UPGRADE);
    assertThat(EngineCodec.decodeText("6")).isSameAs(EnginePacket.NOOP);
  }

  @Test
  void decodes_a_base64_binary_message() {
    EnginePacket packet = EngineCodec.decodeText("bAQIDBA==");
    assertThat(packet).isInstanceOf(EnginePacket.BinaryMessage.class);
    assertThat(((EnginePacket.BinaryMessage) packet).data()).containsExactly(1, 2, 3, 4);
    assertThat(((EnginePacket.BinaryMessage) EngineCodec.decodeText("b")).data()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "7", "9x", "x", "abc", "{}", "\u001e", " 4hello"})
  void refuses_unknown_or_empty_packets(String text) {
    assertThatThrownBy(() -> EngineCodec.decodeText(text)).isInstanceOf(EngineProtocolException.class);
  }

  @Test
  void refuses_an_open_packet_from_a_client() {
    assertThatThrownBy(() -> EngineCodec.decodeText("0{\"sid\":\"abc\"}"))
        .isInstanceOf(EngineProtocolException.class).hasMessageContaining("open");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1x", "5probe", "6 "})
  void refuses_data_on_packets_that_take_none(String text) {
    assertThatThrownBy(() -> EngineCodec.decodeText(text)).isInstanceOf(EngineProtocolException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"b!!!!", "bAQIDBA=", "bAQ*IDBA==", "b=====", "bAQ IDBA=="})
  void refuses_invalid_base64(String text) {
    assertThatThrownBy(() -> EngineCodec.decodeText(text))
        .isInstanceOf(EngineProtocolException.class).hasMessageContaining("base64");
  }

  // ---- decoding polling payloads

  @Test
  void decodes_a_payload_of_one_packet() {
    assertThat(EngineCodec.decodePayload("4hello")).containsExactly(new EnginePacket.TextMessage("hello"));
  }

  @Test
  void decodes_a_payload_of_several_packets_separated_by_record_separators() {
    assertThat(EngineCodec.decodePayload("4test1\u001e4test2\u001e4test3")).containsExactly(
        new EnginePacket.TextMessage("test1"), new EnginePacket.TextMessage("test2"), new EnginePacket.TextMessage("test3"));
  }

  @Test
  void decodes_a_payload_mixing_text_binary_and_control_packets() {
    List<EnginePacket> packets = EngineCodec.decodePayload("4hello\u001ebAQIDBA==\u001e3\u001e1");
    assertThat(packets).hasSize(4);
    assertThat(packets.get(0)).isEqualTo(new EnginePacket.TextMessage("hello"));
    assertThat(((EnginePacket.BinaryMessage) packets.get(1)).data()).containsExactly(1, 2, 3, 4);
    assertThat(packets.get(2)).isEqualTo(new EnginePacket.Pong(""));
    assertThat(packets.get(3)).isSameAs(EnginePacket.CLOSE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\u001e", "4a\u001e", "\u001e4a", "4a\u001e\u001e4b", "4a\u001eabc"})
  void refuses_empty_payloads_and_empty_records(String payload) {
    assertThatThrownBy(() -> EngineCodec.decodePayload(payload)).isInstanceOf(EngineProtocolException.class);
  }

  // ---- encoding

  @Test
  void encodes_text_packets_as_utf8() {
    ByteBuf buf = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.MESSAGE, "héllo €");
    try {
      assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("4héllo €");
      assertThat(buf.readableBytes()).isEqualTo("4héllo €".getBytes(StandardCharsets.UTF_8).length);
    } finally {
      buf.release();
    }
  }

  @Test
  void encodes_control_packets_without_data() {
    ByteBuf ping = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PING, "");
    ByteBuf pong = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PONG, "probe");
    try {
      assertThat(ping.toString(StandardCharsets.UTF_8)).isEqualTo("2");
      assertThat(pong.toString(StandardCharsets.UTF_8)).isEqualTo("3probe");
    } finally {
      ping.release();
      pong.release();
    }
  }

  @Test
  void joins_payload_packets_with_record_separators_and_binary_as_base64() {
    ByteBuf payload = Unpooled.buffer();
    ByteBuf text = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.MESSAGE, "hello");
    ByteBuf binary = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
    ByteBuf ping = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PING, "");
    try {
      EngineCodec.appendToPayload(payload, text, false);
      assertThat(payload.toString(StandardCharsets.UTF_8)).isEqualTo("4hello");
      EngineCodec.appendToPayload(payload, binary, true);
      EngineCodec.appendToPayload(payload, ping, false);
      assertThat(payload.toString(StandardCharsets.UTF_8)).isEqualTo("4hello\u001ebAQIDBA==\u001e2");
      // The packets are read, not consumed: the caller still owns them.
      assertThat(text.readableBytes()).isEqualTo(6);
      assertThat(binary.readableBytes()).isEqualTo(4);
    } finally {
      payload.release();
      text.release();
      binary.release();
      ping.release();
    }
  }

  @Test
  void large_binary_packets_are_base64_without_line_breaks_and_decode_back() {
    byte[] data = new byte[3000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    ByteBuf payload = Unpooled.buffer();
    ByteBuf binary = Unpooled.wrappedBuffer(data);
    try {
      EngineCodec.appendToPayload(payload, binary, true);
      String encoded = payload.toString(StandardCharsets.US_ASCII);
      assertThat(encoded).isEqualTo("b" + Base64.getEncoder().encodeToString(data)).doesNotContain("\n", "\r");
      EnginePacket decoded = EngineCodec.decodePayload(encoded).get(0);
      assertThat(Arrays.equals(((EnginePacket.BinaryMessage) decoded).data(), data)).isTrue();
    } finally {
      payload.release();
      binary.release();
    }
  }

  @Test
  void an_empty_binary_message_round_trips() {
    ByteBuf payload = Unpooled.buffer();
    try {
      EngineCodec.appendToPayload(payload, Unpooled.EMPTY_BUFFER, true);
      assertThat(payload.toString(StandardCharsets.US_ASCII)).isEqualTo("b");
    } finally {
      payload.release();
    }
  }
}
