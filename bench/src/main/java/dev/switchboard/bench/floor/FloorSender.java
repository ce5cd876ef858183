package dev.switchboard.bench.floor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Writes the same batch to every sender socket, round after round: one write() per socket per
 * round, as a server does when it flushes a broadcast to each member.
 */
final class FloorSender implements Runnable {
  private final List<SocketChannel> channels;
  private final ByteBuffer batch;
  private final long rounds;
  private final long deadlineNanos;
  private volatile long roundsDone;
  private volatile long writes;
  private volatile long cpuNanos;

  FloorSender(List<SocketChannel> channels, ByteBuffer batch, long rounds, long deadlineNanos) {
    this.channels = channels;
    this.batch = batch;
    this.rounds = rounds;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public void run() {
    var threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long done = 0;
    long calls = 0;
    try {
      for (; done < rounds && System.nanoTime() < deadlineNanos; done++) {
        for (SocketChannel channel : channels) {
          ByteBuffer view = batch.duplicate();
          while (view.hasRemaining()) {
            channel.write(view);
            calls++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      roundsDone = done;
      writes = calls;
      cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
    }
  }

  long roundsDone() {
    return roundsDone;
  }

  long writes() {
    return writes;
  }

  long cpuNanos() {
    return cpuNanos;
  }
}
