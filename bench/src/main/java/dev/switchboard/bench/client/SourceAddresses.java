package dev.switchboard.bench.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local addresses 127.0.0.2, 127.0.0.3, ... handed out round-robin: each has its own ephemeral
 * port range towards the server, so connection counts can pass one address's limit. Load
 * generators running side by side take distinct subnets (127.0.K.2, 127.0.K.3, ...) so that
 * they never compete for the same ports.
 */
public final class SourceAddresses {
  private final InetSocketAddress[] addresses;
  private final AtomicInteger next = new AtomicInteger();

  public SourceAddresses(int count) {
    this(0, count);
  }

  /** {@code count} addresses from 127.0.{@code subnet}.2 on. */
  public SourceAddresses(int subnet, int count) {
    if (count < 1 || count > 250) {
      throw new IllegalArgumentException("source addresses: 1 to 250, got " + count);
    }
    if (subnet < 0 || subnet > 255) {
      throw new IllegalArgumentException("source subnet: 0 to 255, got " + subnet);
    }
    addresses = new InetSocketAddress[count];
    for (int i = 0; i < count; i++) {
      try {
        addresses[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, (byte) subnet, (byte) (2 + i)}), 0);
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
