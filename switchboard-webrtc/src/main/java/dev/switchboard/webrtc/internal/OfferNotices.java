package dev.switchboard.webrtc.internal;

import dev.switchboard.socketio.Namespace;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the connections of a user, on every node, whom an offer to them came from, so that their
 * signals without {@code to} find their peer ({@link CurrentPeer}). This node's connections hear
 * it before the offer itself reaches them; the other nodes' through a server-side event.
 */
public final class OfferNotices {
  /** The server-side event carrying {@code [to, from]} to the other nodes. */
  static final String EVENT = "switchboard:webrtc:offered";

  private final Namespace namespace;
  private final Map<String, Set<SocketSignals>> byUser = new ConcurrentHashMap<>();

  public OfferNotices(Namespace namespace) {
    this.namespace = namespace;
    namespace.onServerEvent(EVENT, event -> tellLocal(event.arg(0, String.class), event.arg(1, String.class)));
  }

  /** Lets {@code signals}, a connection of {@code user}, hear of the offers to that user until it goes. */
  void add(String user, SocketSignals signals) {
    byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(signals);
  }

  void remove(String user, SocketSignals signals) {
    byUser.computeIfPresent(user, (u, set) -> {
      set.remove(signals);
      return set.isEmpty() ? null : set;
    });
  }

  /** User {@code from} sent an offer to user {@code to}: called before it is relayed. */
  void offered(String to, String from) {
    tellLocal(to, from);
    namespace.serverSideEmit(EVENT, to, from);
  }

  private void tellLocal(String to, String from) {
    Set<SocketSignals> signals = byUser.get(to);
    if (signals != null) {
      signals.forEach(connection -> connection.offeredBy(from));
    }
  }
}
