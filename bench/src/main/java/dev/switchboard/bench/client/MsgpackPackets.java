package dev.switchboard.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The few packets of {@code socket.io-msgpack-parser} the load generator sends and reads (the
 * server's {@code Parser.MSGPACK}): each one binary Engine.IO message, a msgpack map
 * {@code {type, data, nsp, id?}}. Sending converts the JSON texts of {@link SioFrames}; reading
 * looks only at what a scenario needs (the packet type, an ack's id, an event's stamp), without
 * decoding the rest.
 */
final class MsgpackPackets {
  static final int CONNECT = 0;
  static final int EVENT = 2;
  static final int ACK = 3;
  static final int CONNECT_ERROR = 4;

  private static final ObjectMapper JSON = new ObjectMapper();
  /** fixstr "t" then the stamp: the key of {@link SioFrames#payload}. */
  private static final int FIXSTR_1 = 0xa1;

  private MsgpackPackets() {}

  /** {@code {type: 0, nsp: "/"}}. */
  static byte[] connect() {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(2).packString("type").packInt(CONNECT).packString("nsp").packString("/");
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {type: 2, data: [...], nsp: "/", id?}} from the JSON array text of {@link SioFrames#array}. */
  static byte[] event(long ackId, String jsonArray) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(ackId < 0 ? 3 : 4).packString("type").packInt(EVENT).packString("data");
      pack(packer, JSON.readTree(jsonArray));
      packer.packString("nsp").packString("/");
      if (ackId >= 0) {
        packer.packString("id").packLong(ackId);
      }
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pack(MessageBufferPacker packer, JsonNode value) throws IOException {
    if (value.isObject()) {
      packer.packMapHeader(value.size());
      for (java.util.Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        packer.packString(field.getKey());
        pack(packer, field.getValue());
      }
    } else if (value.isArray()) {
      packer.packArrayHeader(value.size());
      for (JsonNode item : value) {
        pack(packer, item);
      }
    } else if (value.isTextual()) {
      packer.packString(value.textValue());
    } else if (value.isIntegralNumber()) {
      packer.packLong(value.longValue());
    } else if (value.isNumber()) {
      packer.packDouble(value.doubleValue());
    } else if (value.isBoolean()) {
      packer.packBoolean(value.booleanValue());
    } else {
      packer.packNil();
    }
  }

  /** The value of the map's {@code type} key, or -1: the key is looked for, not the map decoded. */
  static int type(ByteBuf buf, int index, int length) {
    int at = find(buf, index, length, new byte[] {(byte) 0xa4, 't', 'y', 'p', 'e'});
    return at < 0 ? -1 : (int) integer(buf, at, index + length);
  }

  /** The value of the map's {@code id} key (an ack's), or -1. */
  static long ackId(ByteBuf buf, int index, int length) {
    int at = find(buf, index, length, new byte[] {(byte) 0xa2, 'i', 'd'});
    return at < 0 ? -1 : integer(buf, at, index + length);
  }

  /** The stamp of an event's payload ({@code "t"} key), or -1. */
  static long stamp(ByteBuf buf, int index, int length) {
    int at = find(buf, index, length, new byte[] {(byte) FIXSTR_1, 't'});
    return at < 0 ? -1 : integer(buf, at, index + length);
  }

  /** Where the value after the first occurrence of {@code key} starts, or -1. */
  private static int find(ByteBuf buf, int index, int length, byte[] key) {
    int end = index + length - key.length;
    outer:
    for (int at = index; at < end; at++) {
      for (int i = 0; i < key.length; i++) {
        if (buf.getByte(at + i) != key[i]) {
          continue outer;
        }
      }
      return at + key.length;
    }
    return -1;
  }

  /** A msgpack integer at {@code at}, or -1 when there is none. */
  private static long integer(ByteBuf buf, int at, int end) {
    if (at >= end) {
      return -1;
    }
    int head = buf.getUnsignedByte(at);
    if (head <= 0x7f) {
      return head;
    }
    if (head >= 0xe0) {
      return (byte) head;
    }
    return switch (head) {
      case 0xcc -> buf.getUnsignedByte(at + 1);
      case 0xcd -> buf.getUnsignedShort(at + 1);
      case 0xce -> buf.getUnsignedInt(at + 1);
      case 0xcf, 0xd3 -> buf.getLong(at + 1);
      case 0xd0 -> buf.getByte(at + 1);
      case 0xd1 -> buf.getShort(at + 1);
      case 0xd2 -> buf.getInt(at + 1);
      default -> -1;
    };
  }
}
