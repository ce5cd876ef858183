package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.internal.SioDecoder;
import dev.switchboard.socketio.internal.SioEncoder;
import dev.switchboard.socketio.internal.SioPacket;
import dev.switchboard.socketio.internal.SioProtocolException;
import io.netty.buffer.ByteBufUtil;

/**
 * One binary message of {@code socket.io-msgpack-parser} per input: only
 * {@link SioProtocolException} may escape, and every event or ack that decodes is written back by
 * the server's encoder and decodes again to the same packet, argument trees equal.
 */
class MsgpackSioDecoderFuzzTest {
  private static final SioEncoder MSGPACK = SioEncoder.of(Parser.MSGPACK);

  @FuzzTest(maxDuration = "2m")
  void decodeAndEcho(byte[] input) {
    SioPacket packet;
    try {
      packet = SioDecoder.of(Parser.MSGPACK, 10).decodeBinary(input);
    } catch (SioProtocolException expected) {
      return;
    }
    assertThat(packet).isNotNull();
    SioEncoder.Encoded encoded;
    if (packet instanceof SioPacket.Event event) {
      encoded = MSGPACK.event(event.nsp(), event.name(), new Args(event.args(), 1).toArray(), event.ackId());
    } else if (packet instanceof SioPacket.Ack ack) {
      encoded = MSGPACK.ack(ack.nsp(), ack.ackId(), new Args(ack.args(), 0).toArray());
    } else {
      return;
    }
    byte[] bytes;
    try {
      assertThat(encoded.attachments()).isEmpty();
      bytes = ByteBufUtil.getBytes(encoded.packet());
    } finally {
      encoded.packet().release();
    }
    SioPacket again = SioDecoder.of(Parser.MSGPACK, 10).decodeBinary(bytes);
    assertThat(again.getClass()).isEqualTo(packet.getClass());
    assertThat(again.nsp()).isEqualTo(packet.nsp());
    if (again instanceof SioPacket.Event event) {
      SioPacket.Event first = (SioPacket.Event) packet;
      assertThat(event.ackId()).isEqualTo(first.ackId());
      assertThat(event.name()).isEqualTo(first.name());
      assertThat(event.args().size()).isEqualTo(first.args().size());
      for (int i = 1; i < first.args().size(); i++) {
        assertThat(event.args().get(i)).isEqualTo(first.args().get(i));
      }
    } else if (again instanceof SioPacket.Ack ack) {
      assertThat(ack.ackId()).isEqualTo(((SioPacket.Ack) packet).ackId());
      assertThat(ack.args()).isEqualTo(((SioPacket.Ack) packet).args());
    }
  }
}
