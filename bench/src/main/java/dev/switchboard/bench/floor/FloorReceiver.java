package dev.switchboard.bench.floor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;

/** Drains every receiver with one selector until the expected byte count or the deadline. */
final class FloorReceiver implements Runnable {
  private final List<SocketChannel> channels;
  private final long expectedBytes;
  private final long deadlineNanos;
  private volatile long receivedBytes;
  private volatile long cpuNanos;

  FloorReceiver(List<SocketChannel> channels, long expectedBytes, long deadlineNanos) {
    this.channels = channels;
    this.expectedBytes = expectedBytes;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public void run() {
    var threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    long received = 0;
    try (Selector selector = Selector.open()) {
      for (SocketChannel channel : channels) {
        channel.register(selector, SelectionKey.OP_READ);
      }
      while (received < expectedBytes && System.nanoTime() < deadlineNanos) {
        if (selector.select(100) == 0) {
          continue;
        }
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel channel = (SocketChannel) key.channel();
          int n;
          while ((n = channel.read(buffer.clear())) > 0) {
            received += n;
          }
          if (n < 0) {
            key.cancel();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      receivedBytes = received;
      cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
    }
  }

  long receivedBytes() {
    return receivedBytes;
  }

  long cpuNanos() {
    return cpuNanos;
  }
}
