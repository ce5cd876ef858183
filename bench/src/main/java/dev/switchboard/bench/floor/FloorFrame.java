package dev.switchboard.bench.floor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a server writes for one small broadcast: an unmasked WebSocket text frame (FIN,
 * opcode 1, 7-bit length) carrying {@code 42["msg",{"t":...,"p":"..."}]}.
 */
public final class FloorFrame {
  private FloorFrame() {}

  public static byte[] frame(int padding) {
    String text = "42[\"msg\",{\"t\":1234567890123456,\"p\":\"" + "x".repeat(padding) + "\"}]";
    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
    if (payload.length > 125) {
      throw new IllegalArgumentException("floor frames are small: at most 125 payload bytes");
    }
    byte[] frame = new byte[2 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    return frame;
  }

  /** {@code count} frames back to back, ready to be written in one call. */
  public static ByteBuffer batch(byte[] frame, int count) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(frame.length * count);
    for (int i = 0; i < count; i++) {
      buffer.put(frame);
    }
    return buffer.flip();
  }
}
