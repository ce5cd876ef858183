package dev.switchboard.engineio;

import java.util.Optional;

/** The two Engine.IO v4 transports. */
public enum Transport {
  POLLING("polling"),
  WEBSOCKET("websocket");

  private final String wireName;

  Transport(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the {@code transport} query parameter and the handshake's {@code upgrades}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Transport> fromWireName(String name) {
    for (Transport transport : values()) {
      if (transport.wireName.equals(name)) {
        return Optional.of(transport);
      }
    }
    return Optional.empty();
  }
}
