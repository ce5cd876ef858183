package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.engineio.internal.EngineCodec;
import dev.switchboard.engineio.internal.EnginePacket;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.internal.SioDecoder;
import dev.switchboard.socketio.internal.SioEncoder;
import dev.switchboard.socketio.internal.SioPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-message protocol work of the hot paths: decoding what a client sends
 * ({@code 42["publish","room",{...}]}) and encoding what the server broadcasts
 * ({@code 42["msg",{...}]}), at the Engine.IO and the Socket.IO layer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  @Param({"32", "512"})
  public int payloadBytes;

  private String engineText;
  private String sioText;
  private JsonNode payload;
  private String payloadJson;
  private SioDecoder decoder;

  @Setup
  public void setUp() throws Exception {
    payloadJson = "{\"t\":1234567890123456,\"p\":\"" + "x".repeat(payloadBytes) + "\"}";
    sioText = "2[\"publish\",\"room\"," + payloadJson + "]";
    engineText = "4" + sioText;
    payload = new ObjectMapper().readTree(payloadJson);
    decoder = SioDecoder.of(Parser.JSON, 10);
  }

  @Benchmark
  public EnginePacket engineDecode() {
    return EngineCodec.decodeText(engineText);
  }

  @Benchmark
  public int engineEncode() {
    ByteBuf buf = EngineCodec.encodeText(ByteBufAllocator.DEFAULT, EngineCodec.MESSAGE, sioText);
    try {
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }

  @Benchmark
  public SioPacket sioDecode() {
    return decoder.decodeText(sioText);
  }

  @Benchmark
  public int sioEncodeEvent() {
    SioEncoder.Encoded encoded = SioEncoder.of(Parser.JSON).event("/", "msg", new Object[] {payload}, -1);
    try {
      return encoded.packet().readableBytes();
    } finally {
      encoded.packet().release();
    }
  }

  /** The same event for socket.io-msgpack-parser clients: the broadcast encode of a msgpack server. */
  @Benchmark
  public int sioEncodeEventMsgpack() {
    SioEncoder.Encoded encoded = SioEncoder.of(Parser.MSGPACK).event("/", "msg", new Object[] {payload}, -1);
    try {
      return encoded.packet().readableBytes();
    } finally {
      encoded.packet().release();
    }
  }

  @Benchmark
  public int sioEncodeAck() {
    SioEncoder.Encoded encoded = SioEncoder.of(Parser.JSON).ack("/", 42, new Object[] {payload});
    try {
      return encoded.packet().readableBytes();
    } finally {
      encoded.packet().release();
    }
  }

  /** What the server does for one inbound publish: both decodes, then the broadcast encode. */
  @Benchmark
  public int publishRoundTrip() {
    EnginePacket.TextMessage message = (EnginePacket.TextMessage) EngineCodec.decodeText(engineText);
    SioPacket.Event event = (SioPacket.Event) decoder.decodeText(message.text());
    SioEncoder.Encoded encoded = SioEncoder.of(Parser.JSON).event("/", "msg", new Object[] {event.args().get(2)}, -1);
    try {
      return encoded.packet().readableBytes();
    } finally {
      encoded.packet().release();
    }
  }
}
