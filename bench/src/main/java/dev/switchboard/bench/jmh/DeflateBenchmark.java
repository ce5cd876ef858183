package dev.switchboard.bench.jmh;

import dev.switchboard.engineio.internal.DeflatedMessages;
import dev.switchboard.engineio.internal.SharedFrame;
import dev.switchboard.engineio.internal.WebSocketFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * permessage-deflate's work per message: compressing a broadcast once into the frame every
 * recipient shares (no context takeover), compressing it per recipient with a kept context, and
 * inflating what a client sent. The payload is a {@code msg} event of chat-like JSON.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeflateBenchmark {
  @Param({"1024", "16384"})
  public int payloadBytes;

  private ByteBuf payload;
  private ByteBuf compressed;
  private Deflater ownDeflater;

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder json = new StringBuilder("42[\"msg\",[");
    for (int i = 0; json.length() < payloadBytes - 2; i++) {
      json.append("{\"user\":\"user").append(i % 17).append("\",\"text\":\"message number ").append(i)
          .append(" in the room\",\"at\":").append(1_700_000_000_000L + i * 37L).append("},");
    }
    json.setLength(payloadBytes - 2);
    json.append("]]");
    payload = Unpooled.directBuffer().writeBytes(json.toString().getBytes(StandardCharsets.UTF_8));
    ByteBuf frame = DeflatedMessages.frame(ByteBufAllocator.DEFAULT, WebSocketFrames.TEXT_OPCODE, payload,
        DeflatedMessages.sharedDeflater(Deflater.DEFAULT_COMPRESSION), true);
    int header = payloadHeaderLength(frame);
    compressed = frame.retainedSlice(header, frame.readableBytes() - header);
    frame.release();
    ownDeflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  }

  private static int payloadHeaderLength(ByteBuf frame) {
    int length = frame.getByte(1) & 0x7f;
    return length < 126 ? 2 : length == 126 ? 4 : 10;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    payload.release();
    compressed.release();
    ownDeflater.end();
  }

  /** A broadcast's shared compressed frame: built once, whatever the number of recipients. */
  @Benchmark
  public int broadcastCompressedOnce() {
    SharedFrame frame = SharedFrame.of(payload, false);
    try {
      return frame.deflated(Deflater.DEFAULT_COMPRESSION).readableBytes();
    } finally {
      frame.release();
    }
  }

  /** The plain shared frame, for comparison: what a broadcast costs without compression. */
  @Benchmark
  public int broadcastPlain() {
    SharedFrame frame = SharedFrame.of(payload, false);
    try {
      return frame.plain().readableBytes();
    } finally {
      frame.release();
    }
  }

  /** One recipient's frame with server context takeover: paid once per recipient. */
  @Benchmark
  public int perRecipientWithContextTakeover() {
    ByteBuf frame = DeflatedMessages.frame(ByteBufAllocator.DEFAULT, WebSocketFrames.TEXT_OPCODE, payload, ownDeflater,
        false);
    try {
      return frame.readableBytes();
    } finally {
      frame.release();
    }
  }

  /** Inflating a client's compressed message. */
  @Benchmark
  public int inflate() throws Exception {
    Inflater inflater = DeflatedMessages.sharedInflater();
    return DeflatedMessages.inflate(compressed, inflater, 1 << 20, true).length;
  }
}
