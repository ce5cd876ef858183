package dev.switchboard.limits;

import java.util.Optional;

/**
 * Caps on connections, checked at the Engine.IO handshake before any session exists.
 *
 * @param maxConnections most open connections on this server (0: no cap)
 * @param maxConnectionsPerIp most open connections from one IP address (0: no cap)
 * @param newConnectionsPerIp how fast one IP address may open connections (empty: no cap)
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, Optional<RateLimit> newConnectionsPerIp) {
  public static final ConnectionLimits NONE = new ConnectionLimits(0, 0, Optional.empty());

  public ConnectionLimits {
    if (maxConnections < 0 || maxConnectionsPerIp < 0) {
      throw new IllegalArgumentException("connection caps must not be negative");
    }
  }
}
