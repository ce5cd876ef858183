package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BinaryNode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Socket.IO v5 encoding, from the examples of the protocol specification. Encoded packets are
 * Engine.IO messages, so each starts with the Engine.IO {@code 4}.
 */
class SioEncoderTest {
  private static final SioEncoder JSON = SioEncoder.of(dev.switchboard.socketio.Parser.JSON);
  private static final Object[] NO_ARGS = new Object[0];

  @Test
  void connect_answers_in_the_main_and_a_custom_namespace() {
    assertThat(text(JSON.connect("/", "{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}")))
        .isEqualTo("40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}");
    assertThat(text(JSON.connect("/admin", "{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}")))
        .isEqualTo("40/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}");
  }

  @Test
  void connect_error_with_and_without_data() {
    assertThat(text(JSON.connectError("/", "Not authorized", null))).isEqualTo("44{\"message\":\"Not authorized\"}");
    assertThat(text(JSON.connectError("/admin", "Not authorized", Map.of("retry", false))))
        .isEqualTo("44/admin,{\"message\":\"Not authorized\",\"data\":{\"retry\":false}}");
  }

  @Test
  void disconnect_from_the_main_and_a_custom_namespace() {
    assertThat(text(JSON.disconnect("/"))).isEqualTo("41");
    assertThat(text(JSON.disconnect("/admin"))).isEqualTo("41/admin,");
  }

  @Test
  void events_in_the_main_and_a_custom_namespace() {
    assertThat(text(JSON.event("/", "foo", NO_ARGS, -1))).isEqualTo("42[\"foo\"]");
    assertThat(text(JSON.event("/admin", "bar", NO_ARGS, -1))).isEqualTo("42/admin,[\"bar\"]");
    assertThat(text(JSON.event("/", "hey", new Object[] {"Jude"}, -1))).isEqualTo("42[\"hey\",\"Jude\"]");
  }

  @Test
  void events_with_an_ack_id() {
    assertThat(text(JSON.event("/", "foo", NO_ARGS, 12))).isEqualTo("4212[\"foo\"]");
    assertThat(text(JSON.event("/admin", "foo", NO_ARGS, 13))).isEqualTo("42/admin,13[\"foo\"]");
    assertThat(text(JSON.event("/", "foo", NO_ARGS, 0))).isEqualTo("420[\"foo\"]");
  }

  @Test
  void acks_in_the_main_and_a_custom_namespace() {
    assertThat(text(JSON.ack("/", 12, NO_ARGS))).isEqualTo("4312[]");
    assertThat(text(JSON.ack("/admin", 13, new Object[] {"bar"}))).isEqualTo("43/admin,13[\"bar\"]");
  }

  @Test
  void arguments_of_every_json_kind() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("n", 1.5);
    object.put("list", List.of(1, "two", false));
    object.put("none", null);
    assertThat(text(JSON.event("/", "mixed", new Object[] {null, 42, "é€\u2028\"", object}, -1)))
        .isEqualTo("42[\"mixed\",null,42,\"é€\u2028\\\"\",{\"n\":1.5,\"list\":[1,\"two\",false],\"none\":null}]");
  }

  @Test
  void binary_event_from_the_spec() {
    SioEncoder.Encoded encoded = JSON.event("/", "baz", new Object[] {new byte[] {1, 2, 3, 4}}, -1);
    assertThat(text(encoded.packet())).isEqualTo("451-[\"baz\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(encoded.attachments()).containsExactly(new byte[] {1, 2, 3, 4});
  }

  @Test
  void binary_event_with_several_attachments_in_a_namespace() {
    SioEncoder.Encoded encoded = JSON.event("/admin", "baz", new Object[] {new byte[] {1, 2}, new byte[] {3, 4}}, -1);
    assertThat(text(encoded.packet()))
        .isEqualTo("452-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(encoded.attachments()).containsExactly(new byte[] {1, 2}, new byte[] {3, 4});
  }

  @Test
  void binary_ack_from_the_spec() {
    SioEncoder.Encoded encoded = JSON.ack("/", 15, new Object[] {"bar", new byte[] {1, 2, 3, 4}});
    assertThat(text(encoded.packet())).isEqualTo("461-15[\"bar\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(encoded.attachments()).containsExactly(new byte[] {1, 2, 3, 4});
  }

  @Test
  void binary_ack_in_a_namespace_as_in_the_sample_session() {
    SioEncoder.Encoded encoded = JSON.ack("/admin", 1, new Object[] {new byte[] {7}});
    assertThat(text(encoded.packet())).isEqualTo("461-/admin,1[{\"_placeholder\":true,\"num\":0}]");
  }

  @Test
  void nested_binary_of_every_supported_kind_becomes_numbered_placeholders() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("buffer", ByteBuffer.wrap(new byte[] {5, 6}));
    nested.put("node", BinaryNode.valueOf(new byte[] {7}));
    nested.put("list", List.of(new byte[] {8}));
    SioEncoder.Encoded encoded = JSON.event("/", "deep", new Object[] {new byte[] {1}, nested}, 3);
    assertThat(text(encoded.packet())).isEqualTo("454-3[\"deep\",{\"_placeholder\":true,\"num\":0},"
        + "{\"buffer\":{\"_placeholder\":true,\"num\":1},\"node\":{\"_placeholder\":true,\"num\":2},"
        + "\"list\":[{\"_placeholder\":true,\"num\":3}]}]");
    assertThat(encoded.attachments()).containsExactly(new byte[] {1}, new byte[] {5, 6}, new byte[] {7}, new byte[] {8});
  }

  @Test
  void an_empty_byte_array_is_still_an_attachment() {
    SioEncoder.Encoded encoded = JSON.event("/", "empty", new Object[] {new byte[0]}, -1);
    assertThat(text(encoded.packet())).isEqualTo("451-[\"empty\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(encoded.attachments()).containsExactly(new byte[0]);
  }

  @Test
  void what_the_encoder_writes_the_decoder_reads_back() {
    SioEncoder.Encoded encoded = JSON.event("/chat", "file", new Object[] {"a.bin", new byte[] {9, 8, 7}}, 77);
    String message = text(encoded.packet());
    SioDecoder decoder = new JsonSioDecoder(8);
    assertThat(decoder.decodeText(message.substring(1))).isNull();
    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(encoded.attachments().get(0));
    assertThat(event.nsp()).isEqualTo("/chat");
    assertThat(event.ackId()).isEqualTo(77);
    assertThat(event.name()).isEqualTo("file");
    assertThat(event.args().get(2)).isEqualTo(BinaryNode.valueOf(new byte[] {9, 8, 7}));
  }

  /** The text of a packet without attachments. */
  @Test
  void an_event_made_from_its_arguments_json_is_the_event_encoded_from_its_arguments() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("text", "héllo \"quoted\"");
    object.put("n", 3);
    List<Object[]> cases = List.of(NO_ARGS, new Object[] {"Jude"}, new Object[] {object, 1, null, List.of(true)});
    for (String nsp : List.of("/", "/admin")) {
      for (String event : List.of("chat", "é\"vent")) {
        for (Object[] args : cases) {
          dev.switchboard.http.internal.Json.Encoded json = dev.switchboard.http.internal.Json.encodeArray(null, args);
          assertThat(text(JSON.event(nsp, event, args, json, java.util.Optional.empty())))
              .isEqualTo(text(JSON.event(nsp, event, args, -1)));
          assertThat(text(JSON.event(nsp, event, args, json, java.util.Optional.of("abc-12"))))
              .isEqualTo(text(JSON.event(nsp, event, RecoveryLog.withOffset(args, "abc-12"), -1)));
        }
      }
    }
  }

  @Test
  void arguments_json_not_written_as_an_array_is_encoded_again_from_the_arguments() {
    Object[] args = {"a", 1};
    dev.switchboard.http.internal.Json.Encoded spaced =
        new dev.switchboard.http.internal.Json.Encoded(" [\"a\",1] ".getBytes(StandardCharsets.UTF_8), List.of());
    assertThat(text(JSON.event("/", "e", args, spaced, java.util.Optional.of("x-1")))).isEqualTo("42[\"e\",\"a\",1,\"x-1\"]");
  }

  @Test
  void a_binary_event_made_from_its_arguments_json_keeps_its_attachments() {
    Object[] args = {Map.of("file", new byte[] {1, 2}), new byte[] {3}};
    dev.switchboard.http.internal.Json.Encoded json = dev.switchboard.http.internal.Json.encodeArray(null, args);
    SioEncoder.Encoded spliced = JSON.event("/", "upload", args, json, java.util.Optional.of("e-7"));
    SioEncoder.Encoded encoded = JSON.event("/", "upload", RecoveryLog.withOffset(args, "e-7"), -1);
    assertThat(spliced.attachments()).containsExactlyElementsOf(encoded.attachments()).hasSize(2);
    assertThat(text(spliced.packet())).isEqualTo(text(encoded.packet())).startsWith("452-[\"upload\",");
  }

  private static String text(SioEncoder.Encoded encoded) {
    String text = text(encoded.packet());
    assertThat(encoded.attachments()).isEmpty();
    return text;
  }

  /** The text of {@code buf}, which is released. */
  private static String text(ByteBuf buf) {
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }
}
