package dev.switchboard.webrtc.internal;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The users one connection negotiates with: those it sent an offer or an answer to, and those it
 * received an offer from. A signal naming no {@code to} goes to the one of them, when there is
 * exactly one: the pattern guide's callee sends its candidates and its ICE restart offers without
 * a {@code to}, since only its caller knows whom it calls. Confined to the connection's event loop.
 */
final class CurrentPeer {
  /** Most users remembered: past it, the current peer is ambiguous anyway. */
  static final int MAX_PEERS = 16;

  private final Set<String> peers = new LinkedHashSet<>();

  /** Remembers that this connection negotiates with {@code user}. */
  void negotiatesWith(String user) {
    if (peers.size() < MAX_PEERS) {
      peers.add(user);
    }
  }

  /** The one user this connection negotiates with; empty when it negotiates with none or several. */
  Optional<String> only() {
    return peers.size() == 1 ? Optional.of(peers.iterator().next()) : Optional.empty();
  }

  /** Why a signal without {@code to} has no target. */
  String whyNone() {
    return peers.isEmpty()
        ? "to is required: this connection has not exchanged an offer or answer with anyone, so it has no current peer"
        : "to is required: this connection negotiates with " + peers.size() + " users, so it has no single current peer";
  }
}
