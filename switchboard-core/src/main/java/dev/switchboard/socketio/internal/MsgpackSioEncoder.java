package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.switchboard.http.internal.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Encodes packets as {@code socket.io-msgpack-parser} reads them: one binary message holding the
 * msgpack map {@code {type, data, nsp, id}}, binary values inline as msgpack bin (the client
 * reads them as a Buffer in Node, an ArrayBuffer in browsers). Arguments are serialized as for
 * JSON first (same Jackson mapper, so records and times look the same in both formats), then
 * written as msgpack.
 */
final class MsgpackSioEncoder implements SioEncoder {
  static final MsgpackSioEncoder INSTANCE = new MsgpackSioEncoder();

  private static final int CONNECT = 0;
  private static final int DISCONNECT = 1;
  private static final int EVENT = 2;
  private static final int ACK = 3;
  private static final int CONNECT_ERROR = 4;

  private MsgpackSioEncoder() {}

  @Override
  public boolean binary() {
    return true;
  }

  @Override
  public Encoded event(String nsp, String event, Object[] args, long ackId) {
    return packet(EVENT, nsp, ackId, packer -> writeArray(packer, event, args));
  }

  @Override
  public Encoded ack(String nsp, long ackId, Object[] args) {
    return packet(ACK, nsp, ackId, packer -> writeArray(packer, null, args));
  }

  @Override
  public Encoded connect(String nsp, String json) {
    JsonNode data;
    try {
      data = Json.parse(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return packet(CONNECT, nsp, -1, packer -> write(packer, data));
  }

  @Override
  public Encoded connectError(String nsp, String message, Object data) {
    java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
    payload.put("message", message);
    if (data != null) {
      payload.put("data", data);
    }
    return packet(CONNECT_ERROR, nsp, -1, packer -> write(packer, Json.MAPPER.valueToTree(payload)));
  }

  @Override
  public Encoded disconnect(String nsp) {
    return packet(DISCONNECT, nsp, -1, null);
  }

  private interface Body {
    void write(MessageBufferPacker packer) throws IOException;
  }

  /** {@code {type, data, nsp, id}}: {@code data} left out when {@code body} is null, {@code id} when negative. */
  private static Encoded packet(int type, String nsp, long ackId, Body body) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(2 + (body == null ? 0 : 1) + (ackId >= 0 ? 1 : 0));
      packer.packString("type").packInt(type);
      if (body != null) {
        packer.packString("data");
        body.write(packer);
      }
      packer.packString("nsp").packString(nsp);
      if (ackId >= 0) {
        packer.packString("id").packLong(ackId);
      }
      ByteBuf packet = Unpooled.wrappedBuffer(packer.toByteArray());
      return new Encoded(packet, true, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode as msgpack: " + e.getMessage(), e);
    }
  }

  private static void writeArray(MessageBufferPacker packer, String first, Object[] args) throws IOException {
    packer.packArrayHeader(args.length + (first == null ? 0 : 1));
    if (first != null) {
      packer.packString(first);
    }
    for (Object arg : args) {
      write(packer, arg instanceof JsonNode node ? node : Json.MAPPER.valueToTree(arg));
    }
  }

  private static void write(MessageBufferPacker packer, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case NULL, MISSING -> packer.packNil();
      case BOOLEAN -> packer.packBoolean(node.booleanValue());
      case NUMBER -> {
        if (node.isBigInteger()) {
          packer.packBigInteger(node.bigIntegerValue());
        } else if (node.isIntegralNumber()) {
          packer.packLong(node.longValue());
        } else {
          packer.packDouble(node.doubleValue());
        }
      }
      case STRING -> packer.packString(node.textValue());
      case BINARY -> {
        byte[] bytes = node.binaryValue();
        packer.packBinaryHeader(bytes.length);
        packer.writePayload(bytes);
      }
      case ARRAY -> {
        packer.packArrayHeader(node.size());
        for (JsonNode item : node) {
          write(packer, item);
        }
      }
      case OBJECT -> {
        packer.packMapHeader(node.size());
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          packer.packString(field.getKey());
          write(packer, field.getValue());
        }
      }
      case POJO -> write(packer, Json.MAPPER.valueToTree(((POJONode) node).getPojo()));
    }
  }
}
