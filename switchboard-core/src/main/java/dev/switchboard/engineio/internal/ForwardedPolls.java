package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.ForwardedPoll;
import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.engineio.Transport;
import java.util.concurrent.CompletableFuture;

/**
 * The owner's side of polling across nodes: runs the requests other nodes forward to this node's
 * sessions exactly as if they had been received here, on the session's event loop.
 */
final class ForwardedPolls implements PollingRelay.PollingOwner {
  private final Sessions sessions;

  ForwardedPolls(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public CompletableFuture<ForwardedPoll.Answer> serve(ForwardedPoll poll) {
    RelayedPoll exchange = new RelayedPoll(poll.id());
    RealEngineSession session = sessions.get(poll.sessionId());
    if (session == null) {
      exchange.respondError(EngineError.UNKNOWN_SID);
      return exchange.answer();
    }
    switch (poll.kind()) {
      case OVERSIZED -> {
        session.executor().execute(() -> session.polls().onOversized());
        exchange.respondError(EngineError.BAD_REQUEST);
      }
      case GET, POST -> {
        if (session.transport() != Transport.POLLING) {
          exchange.respondError(EngineError.BAD_REQUEST);
        } else if (poll.kind() == ForwardedPoll.Kind.GET) {
          session.executor().execute(() -> session.polls().onGet(exchange));
        } else {
          session.executor().execute(() -> session.polls().onPost(exchange, poll.body()));
        }
      }
    }
    return exchange.answer();
  }

  @Override
  public void abandoned(String sessionId, String pollId) {
    RealEngineSession session = sessions.get(sessionId);
    if (session != null) {
      session.executor().execute(() -> session.polls().onAbandoned(pollId));
    }
  }
}
