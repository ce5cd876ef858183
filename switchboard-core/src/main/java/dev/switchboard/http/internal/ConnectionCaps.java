package dev.switchboard.http.internal;

import dev.switchboard.limits.ConnectionLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The total and per-IP connection caps, counted over TCP connections as they are accepted, so
 * that connections that never finish a handshake (idle sockets, trickled headers) count as well.
 * The caps name sessions; a session may hold {@value #TCP_CONNECTIONS_PER_SESSION} TCP connections
 * (a polling client's long poll beside its POST, or the polling connection a client keeps alive
 * beside its WebSocket), so TCP connections are capped at that multiple and the session caps
 * themselves are checked at the handshake. A connection over a cap is answered 503 with code
 * {@code TOO_MANY_CONNECTIONS} and closed at once.
 */
public final class ConnectionCaps {
  /** TCP connections one session may hold at once. */
  public static final int TCP_CONNECTIONS_PER_SESSION = 2;

  private static final byte[] REFUSAL;

  static {
    byte[] body = "{\"code\":\"TOO_MANY_CONNECTIONS\",\"message\":\"Too many connections\"}"
        .getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    REFUSAL = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, REFUSAL, 0, headBytes.length);
    System.arraycopy(body, 0, REFUSAL, headBytes.length, body.length);
  }

  /** TCP connections admitted in total and per IP; 0 for no cap. */
  private final int maxOpen;
  private final int maxPerIp;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
  private final LongAdder refusedOverTotal = new LongAdder();
  private final LongAdder refusedOverPerIp = new LongAdder();

  public ConnectionCaps(ConnectionLimits limits) {
    this.maxOpen = tcpCap(limits.maxConnections());
    this.maxPerIp = tcpCap(limits.maxConnectionsPerIp());
  }

  private static int tcpCap(int sessions) {
    return (int) Math.min(Integer.MAX_VALUE, (long) sessions * TCP_CONNECTIONS_PER_SESSION);
  }

  /**
   * Counts {@code channel} until it closes, or refuses it (answered and closed) when a cap is
   * reached; returns whether it was admitted.
   */
  public boolean admit(SocketChannel channel) {
    if (maxOpen == 0 && maxPerIp == 0) {
      return true;
    }
    if (maxOpen > 0 && open.incrementAndGet() > maxOpen) {
      open.decrementAndGet();
      refusedOverTotal.increment();
      refuse(channel);
      return false;
    }
    String ip = ip(channel);
    if (maxPerIp > 0 && !takePerIp(ip)) {
      if (maxOpen > 0) {
        open.decrementAndGet();
      }
      refusedOverPerIp.increment();
      refuse(channel);
      return false;
    }
    channel.closeFuture().addListener(closed -> release(ip));
    return true;
  }

  private boolean takePerIp(String ip) {
    boolean[] taken = new boolean[1];
    perIp.compute(ip, (key, count) -> {
      AtomicInteger c = count == null ? new AtomicInteger() : count;
      taken[0] = c.get() < maxPerIp;
      if (taken[0]) {
        c.incrementAndGet();
      }
      return c.get() == 0 ? null : c;
    });
    return taken[0];
  }

  private void release(String ip) {
    if (maxOpen > 0) {
      open.decrementAndGet();
    }
    if (maxPerIp > 0) {
      perIp.computeIfPresent(ip, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  /** Open connections counted against the total cap (0 when there is none). */
  public int open() {
    return open.get();
  }

  /** Connections refused at accept over the total cap. */
  public long refusedOverTotal() {
    return refusedOverTotal.sum();
  }

  /** Connections refused at accept over the per-IP cap. */
  public long refusedOverPerIp() {
    return refusedOverPerIp.sum();
  }

  /** Registers the refusals' meters. */
  public void bind(Meters meters) {
    meters.counter("switchboard.connections.refused", "", "TCP connections refused as they were accepted, by the cap they passed.",
        this, ConnectionCaps::refusedOverTotal, "cap", "max_connections");
    meters.counter("switchboard.connections.refused", "", "TCP connections refused as they were accepted, by the cap they passed.",
        this, ConnectionCaps::refusedOverPerIp, "cap", "max_connections_per_ip");
  }

  private static String ip(SocketChannel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress() : "";
  }

  private static void refuse(SocketChannel channel) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
  }
}
