package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.internal.JsonSioDecoder;
import dev.switchboard.socketio.internal.SioDecoder;
import dev.switchboard.socketio.internal.SioEncoder;
import dev.switchboard.socketio.internal.SioPacket;
import dev.switchboard.socketio.internal.SioProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sequences of Socket.IO messages on one connection, binary reassembly included: only
 * {@link SioProtocolException} may escape, and every event or ack that decodes can be written back
 * by the server's encoder and decoded again with the same shape.
 *
 * <p>Input format, so that seeds are readable: one message per line; a line starting with
 * {@code ~} is a binary attachment (its remaining bytes), any other line a text message.
 */
class SioDecoderFuzzTest {
  /** Small, so that the fuzzer reaches the limit. */
  private static final int MAX_ATTACHMENTS = 3;
  private static final SioEncoder JSON = SioEncoder.of(Parser.JSON);

  @FuzzTest(maxDuration = "2m")
  void decodeMessageSequence(byte[] input) {
    SioDecoder decoder = new JsonSioDecoder(MAX_ATTACHMENTS);
    int start = 0;
    while (start <= input.length) {
      int end = indexOf(input, (byte) '\n', start);
      byte[] line = Arrays.copyOfRange(input, start, end);
      start = end + 1;
      try {
        SioPacket packet = line.length > 0 && line[0] == '~'
            ? decoder.decodeBinary(Arrays.copyOfRange(line, 1, line.length))
            : decoder.decodeText(new String(line, StandardCharsets.UTF_8));
        if (packet != null) {
          assertThat(decoder.awaitingAttachments()).isFalse();
          checkEchoes(packet);
        }
      } catch (SioProtocolException expected) {
        // the server closes this connection; the next messages come on a fresh one
        decoder = new JsonSioDecoder(MAX_ATTACHMENTS);
      }
    }
  }

  /** What a handler does with a packet: read the name and arguments, send them back. */
  private static void checkEchoes(SioPacket packet) {
    SioEncoder.Encoded encoded;
    long ackId;
    Args args;
    if (packet instanceof SioPacket.Event event) {
      args = new Args(event.args(), 1);
      ackId = event.ackId();
      encoded = JSON.event(event.nsp(), event.name(), args.toArray(), ackId);
    } else if (packet instanceof SioPacket.Ack ack) {
      args = new Args(ack.args(), 0);
      ackId = ack.ackId();
      encoded = JSON.ack(ack.nsp(), ackId, args.toArray());
    } else {
      return;
    }
    SioPacket again;
    try {
      SioDecoder decoder = new JsonSioDecoder(Integer.MAX_VALUE);
      String message = encoded.packet().toString(StandardCharsets.UTF_8);
      assertThat(message).startsWith("4");
      again = decoder.decodeText(message.substring(1));
      for (byte[] attachment : encoded.attachments()) {
        assertThat(again).isNull();
        again = decoder.decodeBinary(attachment);
      }
    } finally {
      encoded.packet().release();
    }
    assertThat(again).isNotNull();
    assertThat(again.nsp()).isEqualTo(packet.nsp());
    assertThat(again.getClass()).isEqualTo(packet.getClass());
    if (again instanceof SioPacket.Event event) {
      assertThat(event.ackId()).isEqualTo(ackId);
      assertThat(event.name()).isEqualTo(((SioPacket.Event) packet).name());
      assertThat(event.args().size() - 1).isEqualTo(args.size());
    } else if (again instanceof SioPacket.Ack ack) {
      assertThat(ack.ackId()).isEqualTo(ackId);
      assertThat(ack.args().size()).isEqualTo(args.size());
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return bytes.length;
  }
}
