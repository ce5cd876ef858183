package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import dev.switchboard.engineio.internal.EngineCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import java.util.Optional;

/**
 * Encodes outbound Socket.IO packets straight into Engine.IO message bytes: {@code 4}, the
 * Socket.IO type, {@code <n>-} for binary packets, {@code /nsp,} unless the main namespace, the
 * ack id, then the JSON.
 */
final class JsonSioEncoder implements SioEncoder {
  static final JsonSioEncoder INSTANCE = new JsonSioEncoder();
  private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

  private JsonSioEncoder() {}

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public Encoded event(String nsp, String event, Object[] args, long ackId) {
    Json.Encoded json = Json.encodeArray(event, args);
    char type = json.binary() ? SioType.BINARY_EVENT : SioType.EVENT;
    return new Encoded(frame(type, json.attachments().size(), nsp, ackId, json.json()), false, json.attachments());
  }

  @Override
  public boolean reusesArgsJson() {
    return true;
  }

  /** Splices the arguments' JSON, {@code [a,b]}, into {@code ["event",a,b,"trailing"]}: no second encoding. */
  @Override
  public Encoded event(String nsp, String event, Object[] args, Json.Encoded argsJson, Optional<String> trailing) {
    byte[] inner = argsJson.json();
    if (inner.length < 2 || inner[0] != '[' || inner[inner.length - 1] != ']') {
      // not as Json.encodeArray writes it (another node's bytes): encoded from the arguments
      return event(nsp, event, trailing.isEmpty() ? args : RecoveryLog.withOffset(args, trailing.get()), -1);
    }
    byte[] name = QUOTER.quoteAsUTF8(event);
    byte[] last = trailing.map(QUOTER::quoteAsUTF8).orElse(null);
    // inner is "[...]": its elements are the bytes between the brackets
    int elements = inner.length - 2;
    int body = 1 + name.length + 2 + (elements > 0 ? 1 + elements : 0) + (last == null ? 0 : 3 + last.length) + 1;
    char type = argsJson.binary() ? SioType.BINARY_EVENT : SioType.EVENT;
    ByteBuf buf = header(type, argsJson.attachments().size(), nsp, -1, body);
    buf.writeByte('[').writeByte('"').writeBytes(name).writeByte('"');
    if (elements > 0) {
      buf.writeByte(',').writeBytes(inner, 1, elements);
    }
    if (last != null) {
      buf.writeByte(',').writeByte('"').writeBytes(last).writeByte('"');
    }
    buf.writeByte(']');
    return new Encoded(buf, false, argsJson.attachments());
  }

  @Override
  public Encoded ack(String nsp, long ackId, Object[] args) {
    Json.Encoded json = Json.encodeArray(null, args);
    char type = json.binary() ? SioType.BINARY_ACK : SioType.ACK;
    return new Encoded(frame(type, json.attachments().size(), nsp, ackId, json.json()), false, json.attachments());
  }

  /** {@code 0/nsp,{"sid":"..."}} (plus {@code pid} when recovery is on). */
  @Override
  public Encoded connect(String nsp, String json) {
    return text(frame(SioType.CONNECT, 0, nsp, -1, json));
  }

  /** {@code 4/nsp,{"message":"...","data":...}}. */
  @Override
  public Encoded connectError(String nsp, String message, Object data) {
    java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
    payload.put("message", message);
    if (data != null) {
      payload.put("data", data);
    }
    return text(frame(SioType.CONNECT_ERROR, 0, nsp, -1, Json.stringify(payload)));
  }

  @Override
  public Encoded disconnect(String nsp) {
    return text(frame(SioType.DISCONNECT, 0, nsp, -1, (String) null));
  }

  private static Encoded text(ByteBuf packet) {
    return new Encoded(packet, false, List.of());
  }

  static ByteBuf frame(char type, int attachments, String nsp, long ackId, byte[] json) {
    ByteBuf buf = header(type, attachments, nsp, ackId, json.length);
    buf.writeBytes(json);
    return buf;
  }

  static ByteBuf frame(char type, int attachments, String nsp, long ackId, String json) {
    ByteBuf buf = header(type, attachments, nsp, ackId, json == null ? 0 : ByteBufUtil.utf8MaxBytes(json));
    if (json != null) {
      ByteBufUtil.writeUtf8(buf, json);
    }
    return buf;
  }

  private static ByteBuf header(char type, int attachments, String nsp, long ackId, int bodyBytes) {
    boolean mainNsp = SioPacket.DEFAULT_NSP.equals(nsp);
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(24 + (mainNsp ? 0 : ByteBufUtil.utf8MaxBytes(nsp)) + bodyBytes);
    buf.writeByte(EngineCodec.MESSAGE);
    buf.writeByte(type);
    if (type == SioType.BINARY_EVENT || type == SioType.BINARY_ACK) {
      writeDecimal(buf, attachments);
      buf.writeByte('-');
    }
    if (!mainNsp) {
      ByteBufUtil.writeUtf8(buf, nsp);
      buf.writeByte(',');
    }
    if (ackId >= 0) {
      writeDecimal(buf, ackId);
    }
    return buf;
  }

  private static void writeDecimal(ByteBuf buf, long value) {
    ByteBufUtil.writeAscii(buf, Long.toString(value));
  }
}
