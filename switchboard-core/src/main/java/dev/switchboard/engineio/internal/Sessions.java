package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.Transport;
import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.http.internal.Traffic;
import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.limits.ConnectionLimits;
import dev.switchboard.limits.TokenBucket;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The open sessions of one Engine.IO server, by id. */
public final class Sessions implements SessionRegistry {
  private final ConcurrentHashMap<String, RealEngineSession> byId = new ConcurrentHashMap<>();
  private final EngineIoOptions options;
  /** Ends every id this node creates: the relay's tag, so other nodes know where to forward. */
  private final String idSuffix;
  private final EngineMeters meters = new EngineMeters();

  public Sessions(EngineIoOptions options) {
    this.options = options;
    this.idSuffix = "";
  }

  /** Sessions whose ids name this node of {@code relay}, so that other nodes can forward polls to it. */
  public Sessions(EngineIoOptions options, PollingRelay relay) {
    this.options = options;
    this.idSuffix = PollForwarder.idSuffix(relay);
  }

  /** Open connections per client IP, kept only while the connection limits need them. */
  private final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> perIp = new ConcurrentHashMap<>();
  /** Connection-rate buckets per client IP; a bounded map, least recently used first out. */
  private final java.util.LinkedHashMap<String, TokenBucket> ratePerIp = new java.util.LinkedHashMap<>(64, 0.75f, true);
  private static final int MAX_RATE_ENTRIES = 10_000;
  /** Set once the server drains: handshakes are refused from then on. */
  private volatile boolean draining;

  /** Refuses every new connection from now on ({@link EngineError#DRAINING}); open ones go on. */
  public void drain() {
    draining = true;
  }

  /** Whether new connections are refused because the server drains. */
  public boolean draining() {
    return draining;
  }

  /** Whether a new connection from {@code ip} is allowed; null if so, else the refusal. */
  EngineError admit(String ip) {
    if (draining) {
      return EngineError.DRAINING;
    }
    ConnectionLimits limits = options.connectionLimits();
    if (limits.maxConnections() > 0 && byId.size() >= limits.maxConnections()) {
      return EngineError.TOO_MANY_CONNECTIONS;
    }
    if (limits.maxConnectionsPerIp() > 0) {
      java.util.concurrent.atomic.AtomicInteger open = perIp.get(ip);
      if (open != null && open.get() >= limits.maxConnectionsPerIp()) {
        return EngineError.TOO_MANY_CONNECTIONS;
      }
    }
    if (limits.newConnectionsPerIp().isPresent()) {
      long now = System.nanoTime();
      synchronized (ratePerIp) {
        TokenBucket bucket = ratePerIp.computeIfAbsent(ip, i -> new TokenBucket(limits.newConnectionsPerIp().get(), now));
        if (ratePerIp.size() > MAX_RATE_ENTRIES) {
          ratePerIp.remove(ratePerIp.keySet().iterator().next());
        }
        if (!bucket.tryTake(now)) {
          return EngineError.CONNECTING_TOO_FAST;
        }
      }
    }
    return null;
  }

  RealEngineSession create(EventLoop loop, EngineRequest request, Traffic traffic) {
    while (true) {
      String id = SessionIds.next() + idSuffix;
      RealEngineSession session = new RealEngineSession(id, loop, request, options, this, traffic);
      if (byId.putIfAbsent(id, session) == null) {
        if (options.connectionLimits().maxConnectionsPerIp() > 0) {
          perIp.computeIfAbsent(ip(request), i -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        }
        return session;
      }
    }
  }

  private static String ip(EngineRequest request) {
    return request.address();
  }

  public RealEngineSession get(String id) {
    return byId.get(id);
  }

  @Override
  public void remove(RealEngineSession session) {
    if (byId.remove(session.id(), session) && options.connectionLimits().maxConnectionsPerIp() > 0) {
      perIp.computeIfPresent(ip(session.request()), (ip, open) -> open.decrementAndGet() <= 0 ? null : open);
    }
  }

  @Override
  public void ended(CloseReason reason) {
    meters.ended(reason);
  }

  /** What the handshakes and endings of these sessions counted. */
  public EngineMeters meters() {
    return meters;
  }

  public int size() {
    return byId.size();
  }

  /**
   * The open sessions on {@code transport} now, counted over all of them; a session counts as
   * polling until its upgrade completes.
   */
  public int count(Transport transport) {
    int count = 0;
    for (RealEngineSession session : byId.values()) {
      if (session.transport() == transport) {
        count++;
      }
    }
    return count;
  }

  public Collection<RealEngineSession> all() {
    return byId.values();
  }
}
