package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Parser;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The {@code socket.io-msgpack-parser} format: packets as its encoder (notepack) writes them,
 * decoded; packets the server writes, byte for byte; hostile input refused with
 * {@link SioProtocolException}.
 */
class MsgpackSioCodecTest {
  private static final SioEncoder MSGPACK = SioEncoder.of(Parser.MSGPACK);
  private final SioDecoder decoder = SioDecoder.of(Parser.MSGPACK, 10);

  // ---- decoding what the client sends (bytes as notepack 2.2 writes them)

  @Test
  void decodes_connect_with_auth_and_without() {
    // {type:0, nsp:"/", data:{token:"abc"}}
    SioPacket.Connect connect = (SioPacket.Connect) decoder.decodeBinary(hex(
        "83 a4 74797065 00 a3 6e7370 a1 2f a4 64617461 81 a5 746f6b656e a3 616263"));
    assertThat(connect.nsp()).isEqualTo("/");
    assertThat(connect.auth().get("token").textValue()).isEqualTo("abc");
    // {type:0, nsp:"/admin"}: no data at all
    SioPacket.Connect bare = (SioPacket.Connect) decoder.decodeBinary(hex("82 a4 74797065 00 a3 6e7370 a6 2f61646d696e"));
    assertThat(bare.nsp()).isEqualTo("/admin");
    assertThat(bare.auth()).isNull();
  }

  @Test
  void decodes_an_event_with_ack_id_and_inline_binary() throws IOException {
    // {type:2, data:["up", <Buffer 01 02>, 1.5], nsp:"/", id:7}
    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(hex(
        "84 a4 74797065 02 a4 64617461 93 a2 7570 c4 02 0102 cb 3ff8000000000000 a3 6e7370 a1 2f a2 6964 07"));
    assertThat(event.name()).isEqualTo("up");
    assertThat(event.ackId()).isEqualTo(7);
    assertThat(event.args().get(1).binaryValue()).containsExactly(1, 2);
    assertThat(event.args().get(2).doubleValue()).isEqualTo(1.5);
  }

  @Test
  void reads_notepack_extensions_undefined_date_and_array_buffer() throws IOException {
    // {type:3, nsp:"/", id:undefined... no: id:1, data:[undefined, {a:undefined, b:1}, Date(0), ArrayBuffer[9]]}
    byte[] packet = pack(p -> {
      p.packMapHeader(4);
      p.packString("type").packInt(3);
      p.packString("nsp").packString("/");
      p.packString("id").packInt(1);
      p.packString("data").packArrayHeader(4);
      p.packExtensionTypeHeader((byte) 0, 1).writePayload(new byte[] {0});
      p.packMapHeader(2).packString("a");
      p.packExtensionTypeHeader((byte) 0, 1).writePayload(new byte[] {0});
      p.packString("b").packInt(1);
      p.packExtensionTypeHeader((byte) 0, 8).writePayload(new byte[8]);
      p.addPayload(hex("c7 01 00 09"));
    });
    SioPacket.Ack ack = (SioPacket.Ack) decoder.decodeBinary(packet);
    assertThat(ack.args().get(0).isNull()).isTrue();
    assertThat(ack.args().get(1).has("a")).isFalse();
    assertThat(ack.args().get(1).get("b").intValue()).isEqualTo(1);
    assertThat(ack.args().get(2).textValue()).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(ack.args().get(3).binaryValue()).containsExactly(9);
  }

  @Test
  void an_undefined_id_is_no_id() {
    // notepack writes {id: undefined} as the key with d4 00 00
    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(hex(
        "84 a4 74797065 02 a4 64617461 91 a1 61 a3 6e7370 a1 2f a2 6964 d4 00 00"));
    assertThat(event.ackId()).isEqualTo(-1);
  }

  // ---- encoding what the server sends

  @Test
  void encodes_connect_event_ack_error_and_disconnect_as_msgpack_maps() {
    assertThat(hexOf(MSGPACK.connect("/", "{\"sid\":\"ab\"}")))
        .isEqualTo(strip("83 a4 74797065 00 a4 64617461 81 a3 736964 a2 6162 a3 6e7370 a1 2f"));
    assertThat(hexOf(MSGPACK.event("/chat", "hi", new Object[] {new byte[] {5}, 1}, 3)))
        .isEqualTo(strip("84 a4 74797065 02 a4 64617461 93 a2 6869 c4 01 05 01 a3 6e7370 a5 2f63686174 a2 6964 03"));
    assertThat(hexOf(MSGPACK.ack("/", 9, new Object[] {"ok"})))
        .isEqualTo(strip("84 a4 74797065 03 a4 64617461 91 a2 6f6b a3 6e7370 a1 2f a2 6964 09"));
    assertThat(hexOf(MSGPACK.connectError("/", "no", null)))
        .isEqualTo(strip("83 a4 74797065 04 a4 64617461 81 a7 6d657373616765 a2 6e6f a3 6e7370 a1 2f"));
    assertThat(hexOf(MSGPACK.disconnect("/")))
        .isEqualTo(strip("82 a4 74797065 01 a3 6e7370 a1 2f"));
  }

  @Test
  void what_the_server_writes_decodes_to_the_same_packet() throws IOException {
    Map<String, Object> nested = Map.of("list", java.util.List.of(1, "two", new byte[] {3}), "n", 2.5);
    SioEncoder.Encoded encoded = MSGPACK.event("/x", "e", new Object[] {nested, null, true, Long.MAX_VALUE}, 42);
    assertThat(encoded.binary()).isTrue();
    assertThat(encoded.attachments()).isEmpty();
    byte[] bytes = ByteBufUtil.getBytes(encoded.packet());
    encoded.packet().release();
    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(bytes);
    assertThat(event.nsp()).isEqualTo("/x");
    assertThat(event.ackId()).isEqualTo(42);
    JsonNode first = event.args().get(1);
    assertThat(first.get("list").get(2).binaryValue()).containsExactly(3);
    assertThat(first.get("n").doubleValue()).isEqualTo(2.5);
    assertThat(event.args().get(2).isNull()).isTrue();
    assertThat(event.args().get(4).longValue()).isEqualTo(Long.MAX_VALUE);
  }

  // ---- hostile input

  @Test
  void refuses_text_messages() {
    assertThatThrownBy(() -> decoder.decodeText("2[\"a\"]"))
        .isInstanceOf(SioProtocolException.class).hasMessageContaining("msgpack");
  }

  @Test
  void refuses_what_is_no_valid_packet() {
    refused("", "must be a map");
    refused("93 01 02 03", "must be a map");
    refused("c1", "");
    refused("82 a4 74797065 09 a3 6e7370 a1 2f", "invalid packet type");
    refused("82 a4 74797065 a1 32 a3 6e7370 a1 2f", "invalid packet type");
    refused("81 a4 74797065 00", "invalid namespace");
    refused("82 a4 74797065 00 a3 6e7370 01", "invalid namespace");
    refused("83 a4 74797065 02 a4 64617461 c0 a3 6e7370 a1 2f", "invalid payload");
    refused("83 a4 74797065 02 a4 64617461 91 a7 636f6e6e656374 a3 6e7370 a1 2f", "invalid payload");
    refused("83 a4 74797065 03 a4 64617461 90 a3 6e7370 a1 2f", "invalid payload");
    refused("84 a4 74797065 03 a4 64617461 90 a3 6e7370 a1 2f a2 6964 ff", "invalid packet id");
    refused("84 a4 74797065 03 a4 64617461 90 a3 6e7370 a1 2f a2 6964 cb 3ff8000000000000", "invalid packet id");
    refused("82 01 00 a3 6e7370 a1 2f", "keys must be strings");
    refused("82 a4 74797065 00 a3 6e7370 a1 2f 00", "bytes after the packet");
    refused("83 a4 74797065 02 a4 64617461 92 a1 61 d4 05 00 a3 6e7370 a1 2f", "extension type 5");
    refused("83 a4 74797065 02 a4 64617461 92 a1 61 d5 00 0000 a3 6e7370 a1 2f", "unsupported msgpack extension");
  }

  @Test
  void refuses_lengths_beyond_the_message_before_allocating_them() {
    refused("82 a4 74797065 02 a4 64617461 c6 7fffffff", "beyond the end");
    refused("82 a4 74797065 02 a4 64617461 db 7fffffff 61", "beyond the end");
    refused("82 a4 74797065 02 a4 64617461 dd 7fffffff", "beyond the end");
    refused("82 a4 74797065 02 a4 64617461 df 7fffffff", "beyond the end");
    refused("82 a4 74797065 02 a4 64617461 c9 7fffffff 00", "beyond the end");
    refused("82 a4 74797065 02 a4 64617461 dd ffffffff", "");
    refused("82 a4 74797065 02 a4 64617461 92 a1 61", "");
  }

  @Test
  void refuses_nesting_deeper_than_json_allows() {
    StringBuilder deep = new StringBuilder("83 a4 74797065 02 a3 6e7370 a1 2f a4 64617461 92 a1 61");
    deep.append(" 91".repeat(100)).append(" c0");
    refused(deep.toString(), "nesting deeper");
  }

  private void refused(String hex, String message) {
    assertThatThrownBy(() -> SioDecoder.of(Parser.MSGPACK, 10).decodeBinary(hex(hex)))
        .isInstanceOf(SioProtocolException.class).hasMessageContaining(message);
  }

  private interface Writes {
    void write(MessageBufferPacker packer) throws IOException;
  }

  private static byte[] pack(Writes writes) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      writes.write(packer);
      return packer.toByteArray();
    }
  }

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(strip(spaced));
  }

  private static String strip(String spaced) {
    return spaced.replace(" ", "");
  }

  private static String hexOf(SioEncoder.Encoded encoded) {
    try {
      assertThat(encoded.binary()).isTrue();
      return ByteBufUtil.hexDump(encoded.packet());
    } finally {
      encoded.packet().release();
    }
  }
}
