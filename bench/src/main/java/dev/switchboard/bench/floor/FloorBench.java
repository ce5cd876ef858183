package dev.switchboard.bench.floor;

import dev.switchboard.bench.JsonLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The physical floor: the kernel cost of sending small frames to many loopback sockets, without
 * any protocol, JSON or event loop. What a server spends per delivery above this is its own.
 */
public final class FloorBench {
  private final int sockets;
  private final int framesPerWrite;
  private final long messages;
  private final double maxSeconds;
  private final int padding;

  public FloorBench(int sockets, int framesPerWrite, long messages, double maxSeconds, int padding) {
    this.sockets = sockets;
    this.framesPerWrite = framesPerWrite;
    this.messages = messages;
    this.maxSeconds = maxSeconds;
    this.padding = padding;
  }

  /** Runs one sender thread against one receiver thread; returns the measured fields. */
  public JsonLine run() {
    byte[] frame = FloorFrame.frame(padding);
    long perRound = (long) sockets * framesPerWrite;
    long rounds = Math.max(1, messages / perRound);
    long deadline = System.nanoTime() + (long) (maxSeconds * TimeUnit.SECONDS.toNanos(1));
    try (LoopbackPairs pairs = new LoopbackPairs(sockets)) {
      FloorReceiver receiver = new FloorReceiver(pairs.receivers, rounds * perRound * frame.length, deadline + TimeUnit.SECONDS.toNanos(2));
      FloorSender sender = new FloorSender(pairs.senders, FloorFrame.batch(frame, framesPerWrite), rounds, deadline);
      Thread receiving = new Thread(receiver, "floor-receiver");
      receiving.start();
      long start = System.nanoTime();
      sender.run();
      long sendNanos = System.nanoTime() - start;
      receiving.join(TimeUnit.SECONDS.toMillis((long) maxSeconds + 5));
      long sent = sender.roundsDone() * perRound;
      long received = receiver.receivedBytes() / frame.length;
      return new JsonLine()
          .put("sockets", sockets)
          .put("framesPerWrite", framesPerWrite)
          .put("frameBytes", frame.length)
          .put("messages", sent)
          .put("received", received)
          .put("writes", sender.writes())
          .put("messagesPerSec", sent / (sendNanos / 1e9))
          .put("senderCpuUsPerMessage", sent == 0 ? 0.0 : sender.cpuNanos() / 1e3 / sent)
          .put("senderCpuUsPerWrite", sender.writes() == 0 ? 0.0 : sender.cpuNanos() / 1e3 / sender.writes())
          .put("receiverCpuUsPerMessage", received == 0 ? 0.0 : receiver.cpuNanos() / 1e3 / received);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
