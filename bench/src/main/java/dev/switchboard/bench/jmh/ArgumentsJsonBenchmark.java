package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * Encoding an event's or an acknowledgement's arguments ({@link Json#encodeArray}), against the
 * same through the mapper, one value at a time, as it was done before: a request/acknowledgement
 * round trip encodes twice (the handler's emit or ack, and its broadcast).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ArgumentsJsonBenchmark {
  /** {@code echo}: what the benchmark's clients publish (a room and an object); {@code mixed}: text, number, flag, object. */
  @Param({"echo", "mixed"})
  public String shape;

  private Object[] args;

  @Setup
  public void setUp() {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("t", 1_765_000_000_000_000L);
    payload.put("p", "x".repeat(32));
    args = shape.equals("echo") ? new Object[] {JsonNodeFactory.instance.textNode("echo-17"), payload}
        : new Object[] {"hello", 42, true, payload};
  }

  @Benchmark
  public Json.Encoded encodeArray() {
    return Json.encodeArray(null, args);
  }

  @Benchmark
  public byte[] throughTheMapper() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator gen = Json.MAPPER.createGenerator(out)) {
      gen.writeStartArray();
      for (Object arg : args) {
        Json.MAPPER.writeValue(gen, arg);
      }
      gen.writeEndArray();
    }
    return out.toByteArray();
  }
}
