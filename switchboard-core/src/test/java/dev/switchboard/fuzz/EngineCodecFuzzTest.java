package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.engineio.internal.EngineCodec;
import dev.switchboard.engineio.internal.EnginePacket;
import dev.switchboard.engineio.internal.EngineProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Engine.IO text packets and polling payloads from any bytes: only {@link EngineProtocolException}
 * may escape, and whatever decodes survives being written back into a payload and read again.
 */
class EngineCodecFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void decodeTextAndPayload(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      EngineCodec.decodeText(text);
    } catch (EngineProtocolException expected) {
      // refused: the connection is closed with a parse error
    }
    List<EnginePacket> packets;
    try {
      packets = EngineCodec.decodePayload(text);
    } catch (EngineProtocolException expected) {
      return;
    }
    ByteBuf payload = Unpooled.buffer();
    try {
      for (EnginePacket packet : packets) {
        append(payload, packet);
      }
      List<EnginePacket> again = EngineCodec.decodePayload(payload.toString(StandardCharsets.UTF_8));
      assertThat(again.stream().map(EngineCodecFuzzTest::describe))
          .containsExactlyElementsOf(packets.stream().map(EngineCodecFuzzTest::describe).toList());
    } finally {
      payload.release();
    }
  }

  /** Writes a packet the way the server writes its own into a polling payload. */
  private static void append(ByteBuf payload, EnginePacket packet) {
    ByteBuf encoded = switch (packet) {
      case EnginePacket.TextMessage m -> EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.MESSAGE, m.text());
      case EnginePacket.Ping p -> EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PING, p.data());
      case EnginePacket.Pong p -> EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.PONG, p.data());
      case EnginePacket.Close c -> EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.CLOSE, "");
      case EnginePacket.Upgrade u -> EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.UPGRADE, "");
      case EnginePacket.Noop n -> EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.NOOP, "");
      case EnginePacket.BinaryMessage b -> Unpooled.wrappedBuffer(b.data());
    };
    try {
      EngineCodec.appendToPayload(payload, encoded, packet instanceof EnginePacket.BinaryMessage);
    } finally {
      encoded.release();
    }
  }

  private static String describe(EnginePacket packet) {
    return packet instanceof EnginePacket.BinaryMessage b ? "binary" + Arrays.toString(b.data()) : packet.toString();
  }
}
