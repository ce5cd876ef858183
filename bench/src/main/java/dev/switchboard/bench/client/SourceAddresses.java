package dev.switchboard.bench.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local addresses 127.0.0.2, 127.0.0.3, ... handed out round-robin: each has its own ephemeral
 * port range towards the server, so connection counts can pass one address's limit.
 */
public final class SourceAddresses {
  private final InetSocketAddress[] addresses;
  private final AtomicInteger next = new AtomicInteger();

  public SourceAddresses(int count) {
    if (count < 1 || count > 250) {
      throw new IllegalArgumentException("source addresses: 1 to 250, got " + count);
    }
    addresses = new InetSocketAddress[count];
    for (int i = 0; i < count; i++) {
      try {
        addresses[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}), 0);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public InetSocketAddress next() {
    return addresses[Math.floorMod(next.getAndIncrement(), addresses.length)];
  }

  public int count() {
    return addresses.length;
  }
}
