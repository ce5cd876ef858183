package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineRequest;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The open sessions of one Engine.IO server, by id. */
public final class Sessions implements RealEngineSession.SessionRegistry {
  private final ConcurrentHashMap<String, RealEngineSession> byId = new ConcurrentHashMap<>();
  private final EngineIoOptions options;

  public Sessions(EngineIoOptions options) {
    this.options = options;
  }

  RealEngineSession create(EventLoop loop, EngineRequest request) {
    while (true) {
      String id = SessionIds.next();
      RealEngineSession session = new RealEngineSession(id, loop, request, options, this);
      if (byId.putIfAbsent(id, session) == null) {
        return session;
      }
    }
  }

  public RealEngineSession get(String id) {
    return byId.get(id);
  }

  @Override
  public void remove(RealEngineSession session) {
    byId.remove(session.id(), session);
  }

  public int size() {
    return byId.size();
  }

  public Collection<RealEngineSession> all() {
    return byId.values();
  }
}
