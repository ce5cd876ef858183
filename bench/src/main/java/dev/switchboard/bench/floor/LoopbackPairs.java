package dev.switchboard.bench.floor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/** {@code count} connected loopback TCP pairs: blocking senders with TCP_NODELAY, and receivers. */
final class LoopbackPairs implements AutoCloseable {
  final List<SocketChannel> senders = new ArrayList<>();
  final List<SocketChannel> receivers = new ArrayList<>();

  LoopbackPairs(int count) throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), count);
      for (int i = 0; i < count; i++) {
        SocketChannel sender = SocketChannel.open(listener.getLocalAddress());
        sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
        senders.add(sender);
        SocketChannel receiver = listener.accept();
        receiver.configureBlocking(false);
        receivers.add(receiver);
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    for (SocketChannel channel : senders) {
      closeQuietly(channel);
    }
    for (SocketChannel channel : receivers) {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
