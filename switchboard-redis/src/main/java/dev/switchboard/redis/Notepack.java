package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * MessagePack as the JavaScript {@code notepack.io} writes and reads it, the format of the Node
 * Redis adapter's messages, to and from JSON trees whose binary values are {@link BinaryNode}s.
 *
 * <p>A JavaScript number is one type: an integral value is written in the smallest integer format,
 * any other as float 64, so an integral double here is written as an integer too. Buffers are bin.
 * {@code undefined} reads as fixext 1 of type 0 (older notepack) or nil: in an array it becomes
 * null (as JSON has it), in a map its key is left out. A timestamp (a JavaScript Date) reads as
 * its ISO-8601 text, as {@code JSON.stringify} would give it to a client.
 */
final class Notepack {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Deeper nesting than this is refused (hostile input). */
  private static final int MAX_DEPTH = 64;
  /** Integral doubles beyond this are written as float 64: past it a JavaScript number is no longer exact. */
  private static final double MAX_SAFE = 9_007_199_254_740_991d;

  /** How JavaScript's {@code Date.prototype.toJSON} writes a time. */
  private static final DateTimeFormatter DATE_JSON =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Notepack() {}

  /** The MessagePack bytes of {@code value}. */
  static byte[] encode(JsonNode value) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      write(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of {@code bytes}; fails with {@link IOException} when they are not one whole MessagePack value. */
  static JsonNode decode(byte[] bytes) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      JsonNode value = read(unpacker, 0);
      if (unpacker.hasNext()) {
        throw new IOException("trailing bytes after a MessagePack value");
      }
      return value == null ? NODES.nullNode() : value;
    } catch (MessagePackException e) {
      throw new IOException("malformed MessagePack: " + e.getMessage(), e);
    }
  }

  private static void write(MessageBufferPacker packer, JsonNode value) throws IOException {
    switch (value.getNodeType()) {
      case NULL, MISSING -> packer.packNil();
      case BOOLEAN -> packer.packBoolean(value.booleanValue());
      case STRING -> writeString(packer, value.textValue());
      case BINARY -> {
        byte[] bytes = value.binaryValue();
        packer.packBinaryHeader(bytes.length);
        packer.writePayload(bytes);
      }
      case NUMBER -> writeNumber(packer, value);
      case ARRAY -> {
        packer.packArrayHeader(value.size());
        for (JsonNode item : value) {
          write(packer, item);
        }
      }
      case OBJECT -> {
        packer.packMapHeader(value.size());
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          writeString(packer, field.getKey());
          write(packer, field.getValue());
        }
      }
      case POJO -> throw new IllegalArgumentException("not a JSON value: " + value);
    }
  }

  /** The exact UTF-8 length in the header, in the smallest format, as notepack. */
  private static void writeString(MessageBufferPacker packer, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    packer.packRawStringHeader(utf8.length);
    packer.writePayload(utf8);
  }

  private static void writeNumber(MessageBufferPacker packer, JsonNode value) throws IOException {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      packer.packLong(value.longValue());
      return;
    }
    double number = value.doubleValue();
    if (number == Math.rint(number) && Math.abs(number) <= MAX_SAFE) {
      packer.packLong((long) number);
    } else {
      packer.packDouble(number);
    }
  }

  /** The value at the unpacker, or null for {@code undefined}. */
  private static JsonNode read(MessageUnpacker unpacker, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("MessagePack nested deeper than " + MAX_DEPTH);
    }
    MessageFormat format = unpacker.getNextFormat();
    return switch (format.getValueType()) {
      case NIL -> {
        unpacker.unpackNil();
        yield NODES.nullNode();
      }
      case BOOLEAN -> NODES.booleanNode(unpacker.unpackBoolean());
      case INTEGER -> format == MessageFormat.UINT64
          ? integer(unpacker.unpackBigInteger()) : NODES.numberNode(unpacker.unpackLong());
      case FLOAT -> NODES.numberNode(unpacker.unpackDouble());
      case STRING -> NODES.textNode(unpacker.unpackString());
      case BINARY -> NODES.binaryNode(unpacker.readPayload(unpacker.unpackBinaryHeader()));
      case ARRAY -> {
        int size = unpacker.unpackArrayHeader();
        ArrayNode array = NODES.arrayNode(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
          JsonNode item = read(unpacker, depth + 1);
          array.add(item == null ? NODES.nullNode() : item);
        }
        yield array;
      }
      case MAP -> {
        int size = unpacker.unpackMapHeader();
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < size; i++) {
          JsonNode key = read(unpacker, depth + 1);
          JsonNode item = read(unpacker, depth + 1);
          if (key == null || key.isContainerNode() || key.isBinary()) {
            // notepack writes a JavaScript object's keys as strings: a nested key could only blow up
            // (each level's key text escapes the one below it, doubling its size)
            throw new IOException("a map key that is not a string, number or boolean");
          }
          if (item != null) {
            object.set(key.isTextual() ? key.textValue() : key.toString(), item);
          }
        }
        yield object;
      }
      case EXTENSION -> extension(unpacker);
    };
  }

  private static JsonNode integer(BigInteger value) {
    return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
  }

  /** notepack's {@code undefined} (null here), a timestamp as ISO text; other types are refused. */
  private static JsonNode extension(MessageUnpacker unpacker) throws IOException {
    ExtensionTypeHeader header = unpacker.unpackExtensionTypeHeader();
    if (header.getType() == 0 && header.getLength() == 1) {
      unpacker.readPayload(1);
      return null;
    }
    if (header.isTimestampType()) {
      Instant time = unpacker.unpackTimestamp(header);
      return NODES.textNode(DATE_JSON.format(time));
    }
    throw new IOException("unknown MessagePack extension type " + header.getType());
  }
}
