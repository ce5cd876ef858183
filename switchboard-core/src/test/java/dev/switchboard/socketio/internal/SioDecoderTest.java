package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket.IO v5 decoding, from the examples of the protocol specification, and hostile input. */
class SioDecoderTest {
  private final SioDecoder decoder = new JsonSioDecoder(SioDecoderTest.MAX_ATTACHMENTS);
  private static final int MAX_ATTACHMENTS = 4;

  // ---- CONNECT / DISCONNECT

  @Test
  void connect_to_the_main_namespace() {
    assertThat(decoder.decodeText("0")).isEqualTo(new SioPacket.Connect("/", null));
  }

  @Test
  void connect_to_a_custom_namespace_with_and_without_payload() {
    assertThat(decoder.decodeText("0/admin,")).isEqualTo(new SioPacket.Connect("/admin", null));
    assertThat(decoder.decodeText("0/admin")).isEqualTo(new SioPacket.Connect("/admin", null));
    assertThat(decoder.decodeText("0/admin,{\"token\":\"123\"}"))
        .isEqualTo(new SioPacket.Connect("/admin", json("{\"token\":\"123\"}")));
    assertThat(decoder.decodeText("0{\"token\":\"123\"}")).isEqualTo(new SioPacket.Connect("/", json("{\"token\":\"123\"}")));
  }

  @Test
  void disconnect_from_the_main_and_a_custom_namespace() {
    assertThat(decoder.decodeText("1")).isEqualTo(new SioPacket.Disconnect("/"));
    assertThat(decoder.decodeText("1/admin,")).isEqualTo(new SioPacket.Disconnect("/admin"));
  }

  @Test
  void connect_error_from_the_spec_is_decoded() {
    assertThat(decoder.decodeText("4{\"message\":\"Not authorized\"}"))
        .isEqualTo(new SioPacket.ConnectError("/", json("{\"message\":\"Not authorized\"}")));
    assertThat(decoder.decodeText("4/admin,\"Not authorized\""))
        .isEqualTo(new SioPacket.ConnectError("/admin", json("\"Not authorized\"")));
  }

  // ---- EVENT / ACK

  @Test
  void event_in_the_main_and_a_custom_namespace() {
    SioPacket.Event main = (SioPacket.Event) decoder.decodeText("2[\"foo\"]");
    assertThat(main.nsp()).isEqualTo("/");
    assertThat(main.ackId()).isEqualTo(-1);
    assertThat(main.name()).isEqualTo("foo");
    assertThat(main.args()).isEqualTo(json("[\"foo\"]"));

    SioPacket.Event admin = (SioPacket.Event) decoder.decodeText("2/admin,[\"bar\"]");
    assertThat(admin.nsp()).isEqualTo("/admin");
    assertThat(admin.args()).isEqualTo(json("[\"bar\"]"));
  }

  @Test
  void event_with_an_ack_id() {
    SioPacket.Event event = (SioPacket.Event) decoder.decodeText("212[\"foo\"]");
    assertThat(event.ackId()).isEqualTo(12);
    assertThat(event.args()).isEqualTo(json("[\"foo\"]"));

    SioPacket.Event admin = (SioPacket.Event) decoder.decodeText("2/admin,0[\"foo\",1,{\"a\":[true,null]}]");
    assertThat(admin.nsp()).isEqualTo("/admin");
    assertThat(admin.ackId()).isZero();
    assertThat(admin.args()).isEqualTo(json("[\"foo\",1,{\"a\":[true,null]}]"));
  }

  @Test
  void event_named_by_a_number_is_accepted_as_in_node() {
    SioPacket.Event event = (SioPacket.Event) decoder.decodeText("2[42,\"x\"]");
    assertThat(event.name()).isEqualTo("42");
  }

  @Test
  void ack_in_a_custom_namespace_and_with_an_empty_array() {
    assertThat(decoder.decodeText("3/admin,13[\"bar\"]"))
        .isEqualTo(new SioPacket.Ack("/admin", 13, (com.fasterxml.jackson.databind.node.ArrayNode) json("[\"bar\"]")));
    SioPacket.Ack empty = (SioPacket.Ack) decoder.decodeText("312[]");
    assertThat(empty.ackId()).isEqualTo(12);
    assertThat(empty.args()).isEmpty();
  }

  @Test
  void the_largest_safe_javascript_integer_is_a_valid_ack_id() {
    SioPacket.Event event = (SioPacket.Event) decoder.decodeText("29007199254740991[\"foo\"]");
    assertThat(event.ackId()).isEqualTo(9007199254740991L);
  }

  // ---- binary packets

  @Test
  void binary_event_waits_for_its_attachment_then_puts_it_in_place() {
    assertThat(decoder.decodeText("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]")).isNull();
    assertThat(decoder.awaitingAttachments()).isTrue();

    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(new byte[] {1, 2, 3, 4});
    assertThat(decoder.awaitingAttachments()).isFalse();
    assertThat(event.name()).isEqualTo("baz");
    assertThat(event.args().get(1)).isEqualTo(BinaryNode.valueOf(new byte[] {1, 2, 3, 4}));
  }

  @Test
  void binary_event_with_several_attachments_in_a_namespace_placed_by_num_not_order() throws IOException {
    assertThat(decoder.decodeText(
        "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":1},{\"nested\":[{\"_placeholder\":true,\"num\":0}]}]")).isNull();
    assertThat(decoder.decodeBinary(new byte[] {1, 2})).isNull();
    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(new byte[] {3, 4});

    assertThat(event.nsp()).isEqualTo("/admin");
    assertThat(event.args().get(1).binaryValue()).containsExactly(3, 4);
    assertThat(event.args().get(2).get("nested").get(0).binaryValue()).containsExactly(1, 2);
  }

  @Test
  void binary_ack_with_an_id() throws IOException {
    assertThat(decoder.decodeText("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]")).isNull();
    SioPacket.Ack ack = (SioPacket.Ack) decoder.decodeBinary(new byte[] {1, 2, 3, 4});
    assertThat(ack.ackId()).isEqualTo(15);
    assertThat(ack.args().get(0).textValue()).isEqualTo("bar");
    assertThat(ack.args().get(1).binaryValue()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void a_placeholder_with_extra_fields_is_still_a_placeholder_as_in_node() throws IOException {
    decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0,\"extra\":1},{\"_placeholder\":false,\"num\":0}]");
    SioPacket.Event event = (SioPacket.Event) decoder.decodeBinary(new byte[] {5});
    assertThat(event.args().get(1).binaryValue()).containsExactly(5);
    assertThat(event.args().get(2)).isEqualTo(json("{\"_placeholder\":false,\"num\":0}"));
  }

  @Test
  void binary_event_with_zero_attachments_completes_at_once() {
    SioPacket.Event event = (SioPacket.Event) decoder.decodeText("50-[\"x\"]");
    assertThat(event.name()).isEqualTo("x");
    assertThat(decoder.awaitingAttachments()).isFalse();
  }

  @Test
  void the_decoder_is_reusable_after_a_binary_packet() {
    decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
    decoder.decodeBinary(new byte[] {9});
    assertThat(decoder.decodeText("2[\"b\"]")).isInstanceOf(SioPacket.Event.class);
  }

  // ---- malformed input

  @ParameterizedTest
  @ValueSource(strings = {"", "7", "8[\"a\"]", "9", "a", "-1", " 2[\"a\"]", "/admin,2[\"a\"]"})
  void refuses_unknown_packet_types_and_empty_messages(String text) {
    assertThatThrownBy(() -> decoder.decodeText(text)).isInstanceOf(SioProtocolException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "5-[\"a\"]",             // no count
      "5[\"a\"]",               // no dash
      "5x-[\"a\"]",             // not a number
      "51[\"a-b\"]",            // dash inside the JSON
      "51234567-[\"a\"]",      // absurdly long count
      "6-1[\"a\"]",
  })
  void refuses_bad_attachment_counts(String text) {
    assertThatThrownBy(() -> decoder.decodeText(text)).isInstanceOf(SioProtocolException.class)
        .hasMessageContaining("attachment");
  }

  @Test
  void refuses_more_attachments_than_allowed() {
    assertThatThrownBy(() -> decoder.decodeText("55-[\"a\"]"))
        .isInstanceOf(SioProtocolException.class).hasMessageContaining("too many");
    assertThat(new JsonSioDecoder(5).decodeText("55-[\"a\"]")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2[\"a\"", "2{\"a\"", "2[\"a\",]", "2['a']", "2[NaN]", "2[\"a\"]]", "2[\"a\"]x", "2[\"a\"][\"b\"]",
      "0/admin,{", "3/admin,13[\"bar\"", "2/admin,abc",
  })
  void refuses_invalid_json(String text) {
    assertThatThrownBy(() -> decoder.decodeText(text)).isInstanceOf(SioProtocolException.class);
  }

  @Test
  void refuses_json_nested_deeper_than_the_limit() {
    String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
    assertThatThrownBy(() -> decoder.decodeText("2[\"a\"," + deep + "]")).isInstanceOf(SioProtocolException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
  void refuses_reserved_event_names(String name) {
    assertThatThrownBy(() -> decoder.decodeText("2[\"" + name + "\"]")).isInstanceOf(SioProtocolException.class);
    assertThatThrownBy(() -> decoder.decodeText("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]"))
        .isInstanceOf(SioProtocolException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2", "2/admin,", "2[]", "2{\"a\":1}", "2\"foo\"", "2[null]", "2[true]", "2[{}]", "2[[\"a\"]]", "212",
      "3[\"no id\"]", "312", "312{}", "3/admin,13\"bar\"",
      "0\"token\"", "0[1]",
      "1[\"x\"]", "1/admin,{}",
      "4", "4[1]", "41",
  })
  void refuses_payloads_that_do_not_fit_the_packet_type(String text) {
    assertThatThrownBy(() -> decoder.decodeText(text)).isInstanceOf(SioProtocolException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"29007199254740992[\"a\"]", "212345678901234567[\"a\"]", "2999999999999999999999[\"a\"]",
      "39007199254740992[]"})
  void refuses_huge_ack_ids(String text) {
    assertThatThrownBy(() -> decoder.decodeText(text))
        .isInstanceOf(SioProtocolException.class).hasMessageContaining("ack id");
  }

  @Test
  void refuses_text_while_waiting_for_attachments() {
    decoder.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    decoder.decodeBinary(new byte[] {1});
    assertThatThrownBy(() -> decoder.decodeText("2[\"b\"]"))
        .isInstanceOf(SioProtocolException.class).hasMessageContaining("attachments");
  }

  @Test
  void refuses_an_attachment_nobody_waits_for() {
    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1})).isInstanceOf(SioProtocolException.class);
    decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
    decoder.decodeBinary(new byte[] {1});
    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {2})).isInstanceOf(SioProtocolException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"_placeholder\":true,\"num\":1}",
      "{\"_placeholder\":true,\"num\":-1}",
      "{\"_placeholder\":true,\"num\":\"0\"}",
      "{\"_placeholder\":true}",
      "{\"_placeholder\":true,\"num\":99999999999}",
  })
  void refuses_placeholders_that_point_to_no_attachment(String placeholder) {
    assertThat(decoder.decodeText("51-[\"a\"," + placeholder + "]")).isNull();
    assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1}))
        .isInstanceOf(SioProtocolException.class).hasMessageContaining("placeholder");
  }

  private static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
