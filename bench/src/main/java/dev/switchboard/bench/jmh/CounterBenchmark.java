package dev.switchboard.bench.jmh;

import dev.switchboard.http.internal.LoopCounter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one count costs on the paths taken per message (bytes written, events): the server's
 * per-thread {@link LoopCounter} against a {@link LongAdder}, from one thread and from two at once
 * (two event loops counting into the same counter), each op one add.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CounterBenchmark {
  private final LoopCounter loopCounter = new LoopCounter();
  private final LongAdder adder = new LongAdder();

  @Benchmark
  @Threads(1)
  public void loopCounter() {
    loopCounter.add(42);
  }

  @Benchmark
  @Threads(1)
  public void longAdder() {
    adder.add(42);
  }

  @Benchmark
  @Threads(2)
  public void loopCounterTwoThreads() {
    loopCounter.add(42);
  }

  @Benchmark
  @Threads(2)
  public void longAdderTwoThreads() {
    adder.add(42);
  }
}
