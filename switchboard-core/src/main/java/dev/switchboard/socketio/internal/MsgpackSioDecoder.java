package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;

/**
 * Decodes packets of {@code socket.io-msgpack-parser}: each binary message is one msgpack map
 * {@code {type, data, nsp, id}}, binary values inline. Values become the same tree the JSON
 * decoder makes (binary values as {@code BinaryNode}s). The extensions its encoder (notepack)
 * writes are understood: type 0 as {@code undefined} (fixext 1; a map entry holding it is left
 * out, an array item becomes null), as a Date (fixext 8; the ISO-8601 string JSON would carry),
 * and as an ArrayBuffer (ext 8/16/32; binary). Text messages, other extensions, non-string map
 * keys, nesting deeper than {@link Json#MAX_NESTING_DEPTH} and lengths beyond the message are
 * refused. Stateless between messages.
 */
public final class MsgpackSioDecoder implements SioDecoder {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter JS_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** What notepack writes for {@code undefined}; never put in a tree. */
  private static final JsonNode UNDEFINED = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

  private final MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(new byte[0]);
  private int length;

  public MsgpackSioDecoder() {}

  @Override
  public SioPacket decodeText(String text) {
    throw new SioProtocolException("got a text message, but this server's parser is msgpack");
  }

  @Override
  public SioPacket decodeBinary(byte[] data) {
    length = data.length;
    try {
      unpacker.reset(new ArrayBufferInput(data));
      return decodePacket();
    } catch (IOException | MessagePackException e) {
      throw new SioProtocolException("invalid msgpack: " + e.getMessage());
    }
  }

  @Override
  public boolean awaitingAttachments() {
    return false;
  }

  private SioPacket decodePacket() throws IOException {
    if (!unpacker.hasNext() || unpacker.getNextFormat().getValueType() != ValueType.MAP) {
      throw new SioProtocolException("a msgpack packet must be a map");
    }
    int entries = unpacker.unpackMapHeader();
    JsonNode type = null;
    JsonNode nsp = null;
    JsonNode data = null;
    JsonNode id = null;
    for (int i = 0; i < entries; i++) {
      String key = key();
      JsonNode value = value(1);
      if (value == UNDEFINED) {
        continue;
      }
      switch (key) {
        case "type" -> type = value;
        case "nsp" -> nsp = value;
        case "data" -> data = value;
        case "id" -> id = value;
        default -> { }
      }
    }
    if (unpacker.hasNext()) {
      throw new SioProtocolException("bytes after the packet");
    }
    long typeNumber = integer(type, "invalid packet type");
    if (typeNumber < 0 || typeNumber > 4) {
      throw new SioProtocolException("invalid packet type");
    }
    // CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR: the digits of the JSON format's types.
    char sioType = (char) ('0' + typeNumber);
    if (nsp == null || !nsp.isTextual()) {
      throw new SioProtocolException("invalid namespace");
    }
    long ackId = id == null ? -1 : integer(id, "invalid packet id");
    if (ackId < -1 || ackId > MAX_ACK_ID || (id != null && ackId < 0)) {
      throw new SioProtocolException("invalid packet id");
    }
    JsonSioDecoder.validate(sioType, data, ackId);
    return JsonSioDecoder.complete(sioType, nsp.textValue(), ackId, data);
  }

  /** An integral number (a JavaScript integer may arrive as a float); else refused with {@code error}. */
  private static long integer(JsonNode node, String error) {
    if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node != null && node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
        && Math.abs(node.doubleValue()) <= MAX_ACK_ID) {
      return (long) node.doubleValue();
    }
    throw new SioProtocolException(error);
  }

  private String key() throws IOException {
    if (unpacker.getNextFormat().getValueType() != ValueType.STRING) {
      throw new SioProtocolException("map keys must be strings");
    }
    return new String(payload(unpacker.unpackRawStringHeader()), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The next value as a tree node; {@link #UNDEFINED} for notepack's undefined. */
  private JsonNode value(int depth) throws IOException {
    if (depth > Json.MAX_NESTING_DEPTH) {
      throw new SioProtocolException("nesting deeper than " + Json.MAX_NESTING_DEPTH);
    }
    MessageFormat format = unpacker.getNextFormat();
    return switch (format.getValueType()) {
      case NIL -> {
        unpacker.unpackNil();
        yield NODES.nullNode();
      }
      case BOOLEAN -> NODES.booleanNode(unpacker.unpackBoolean());
      case INTEGER -> format == MessageFormat.UINT64 ? unsigned64() : NODES.numberNode(unpacker.unpackLong());
      case FLOAT -> NODES.numberNode(unpacker.unpackDouble());
      case STRING -> NODES.textNode(new String(payload(unpacker.unpackRawStringHeader()),
          java.nio.charset.StandardCharsets.UTF_8));
      case BINARY -> NODES.binaryNode(payload(unpacker.unpackBinaryHeader()));
      case ARRAY -> array(depth);
      case MAP -> map(depth);
      case EXTENSION -> extension(format);
    };
  }

  /** A uint 64: a long when it fits (the format may hold small values too), else a big integer. */
  private JsonNode unsigned64() throws IOException {
    java.math.BigInteger value = unpacker.unpackBigInteger();
    return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
  }

  private ArrayNode array(int depth) throws IOException {
    int size = unpacker.unpackArrayHeader();
    checkRemaining(size);
    ArrayNode array = NODES.arrayNode(Math.min(size, 16));
    for (int i = 0; i < size; i++) {
      JsonNode item = value(depth + 1);
      array.add(item == UNDEFINED ? NODES.nullNode() : item);
    }
    return array;
  }

  private ObjectNode map(int depth) throws IOException {
    int size = unpacker.unpackMapHeader();
    checkRemaining(size);
    ObjectNode object = NODES.objectNode();
    for (int i = 0; i < size; i++) {
      String key = key();
      JsonNode value = value(depth + 1);
      if (value != UNDEFINED) {
        object.set(key, value);
      }
    }
    return object;
  }

  private JsonNode extension(MessageFormat format) throws IOException {
    var header = unpacker.unpackExtensionTypeHeader();
    if (header.getType() != 0) {
      throw new SioProtocolException("unsupported msgpack extension type " + header.getType());
    }
    byte[] bytes = payload(header.getLength());
    return switch (format) {
      case FIXEXT1 -> UNDEFINED;
      case FIXEXT8 -> NODES.textNode(JS_DATE.format(Instant.ofEpochMilli(java.nio.ByteBuffer.wrap(bytes).getLong())));
      case EXT8, EXT16, EXT32 -> NODES.binaryNode(bytes);
      default -> throw new SioProtocolException("unsupported msgpack extension " + format);
    };
  }

  /** Reads {@code size} bytes, refusing a length the message cannot hold before allocating it. */
  private byte[] payload(int size) throws IOException {
    checkRemaining(size);
    return unpacker.readPayload(size);
  }

  /** Refuses a length or count larger than what is left of the message (each item takes a byte at least). */
  private void checkRemaining(int size) {
    if (size < 0 || size > length - unpacker.getTotalReadBytes()) {
      throw new SioProtocolException("a length beyond the end of the message");
    }
  }
}
