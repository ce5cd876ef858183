package dev.switchboard.engineio;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP request that opened an Engine.IO session (the handshake). A session keeps it for its
 * whole life, so it holds only the request line's URI and a flat read-only copy of the headers;
 * the query parameters are decoded again from the URI when asked for.
 */
public final class EngineRequest {
  private final String url;
  private final HttpHeaders headers;
  private final SocketAddress remoteAddress;
  private final boolean secure;
  private final long epochMillis;

  /**
   * @param url the request URI, with its query string
   * @param headers the request headers (read-only)
   * @param remoteAddress the client's address
   * @param secure whether the connection used TLS
   * @param time when the handshake arrived
   */
  public EngineRequest(String url, HttpHeaders headers, SocketAddress remoteAddress, boolean secure, Instant time) {
    this.url = Objects.requireNonNull(url, "url");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.remoteAddress = remoteAddress;
    this.secure = secure;
    this.epochMillis = time.toEpochMilli();
  }

  /** The request URI, with its query string. */
  public String url() {
    return url;
  }

  /** The request headers (read-only). */
  public HttpHeaders headers() {
    return headers;
  }

  /** The decoded query parameters, in order. */
  public Map<String, List<String>> query() {
    return new QueryStringDecoder(url).parameters();
  }

  /** The client's address. */
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** The client's IP address as text (the host string when the address is not resolved). */
  public String address() {
    if (remoteAddress instanceof InetSocketAddress inet) {
      return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
    }
    return String.valueOf(remoteAddress);
  }

  /** Whether the connection used TLS. */
  public boolean secure() {
    return secure;
  }

  /** When the handshake arrived (millisecond precision). */
  public Instant time() {
    return Instant.ofEpochMilli(epochMillis);
  }

  @Override
  public String toString() {
    return "EngineRequest[" + url + " from " + remoteAddress + "]";
  }
}
