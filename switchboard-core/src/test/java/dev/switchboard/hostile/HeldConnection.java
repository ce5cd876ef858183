package dev.switchboard.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw TCP connection held open by a test, sending only what it is told to; a reader records
 * everything the server sends and when the server ended the connection.
 */
final class HeldConnection implements AutoCloseable {
  private final Socket socket;
  private final long openedNanos = System.nanoTime();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile long endedNanos;

  private HeldConnection(Socket socket) {
    this.socket = socket;
    Thread.ofVirtual().name("held-" + socket.getLocalPort()).start(this::read);
  }

  /** Connects to {@code 127.0.0.1:port} from the loopback address {@code from} (e.g. 127.0.0.2). */
  static HeldConnection open(int port, String from) {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return new HeldConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HeldConnection open(int port) {
    return open(port, "127.0.0.1");
  }

  private void read() {
    byte[] buffer = new byte[4096];
    try (InputStream in = socket.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (received) {
          received.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // a reset ends the connection as well
    } finally {
      endedNanos = System.nanoTime();
      ended.countDown();
    }
  }

  /** Writes {@code text}; false when the server has closed the connection already. */
  boolean send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  boolean ended() {
    return ended.getCount() == 0;
  }

  /** Waits until the server ended the connection; false if it did not within {@code millis}. */
  boolean awaitEnd(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** How long the connection stayed open, in milliseconds (only once it ended). */
  long openMillis() {
    return TimeUnit.NANOSECONDS.toMillis(endedNanos - openedNanos);
  }

  String received() {
    synchronized (received) {
      return received.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
