package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.Transport;
import io.netty.channel.EventLoop;
import java.util.List;

/**
 * The polling transport's requests for one session, received on this node or forwarded by
 * another: the long-polling GET that collects the session's packets from its {@link PollingQueue},
 * and the POST that delivers the client's. Runs on the session's loop.
 */
final class PollRequests {
  private final RealEngineSession session;
  private final EventLoop loop;
  private final PollingQueue polling;
  private final ClientClose clientClose;

  PollRequests(RealEngineSession session, EventLoop loop, PollingQueue polling, ClientClose clientClose) {
    this.session = session;
    this.loop = loop;
    this.polling = polling;
    this.clientClose = clientClose;
  }

  /** A long-polling GET. */
  void onGet(PollExchange get) {
    if (session.isClosing()) {
      // The last packets first, the close packet on the next poll (see RealEngineSession.close).
      boolean last = polling.isEmpty();
      polling.answer(get, last);
      if (last) {
        session.finishClose();
      }
      return;
    }
    if (session.hasEnded()) {
      if (!clientClose.onLatePoll(get)) {
        get.respondError(EngineError.UNKNOWN_SID);
      }
      return;
    }
    if (session.transport() != Transport.POLLING) {
      get.respondError(EngineError.BAD_REQUEST);
      return;
    }
    if (polling.hasPendingGet()) {
      get.respondError(EngineError.BAD_REQUEST);
      session.close(CloseReason.TRANSPORT_ERROR, "overlapping GET requests");
      return;
    }
    polling.hold(get);
    get.watchClient(() -> loop.execute(() -> {
      if (polling.pendingGet() == get) {
        polling.hold(null);
        session.close(CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
      }
    }));
    // While a probe is answered, an empty poll waits for the next upgrade check, as in Node: the
    // upgrade packet may be on its way on another loop, and a poll sent after it is refused.
    if (!polling.isEmpty()) {
      session.markDirty();
    }
  }

  /** A POST carrying {@code body}, a payload of packets. */
  void onPost(PollExchange post, String body) {
    if (!session.isOpen() || session.transport() != Transport.POLLING) {
      post.respondError(session.hasEnded() ? EngineError.UNKNOWN_SID : EngineError.BAD_REQUEST);
      return;
    }
    List<EnginePacket> packets;
    try {
      packets = EngineCodec.decodePayload(body);
    } catch (EngineProtocolException e) {
      post.respondError(EngineError.BAD_REQUEST);
      session.close(CloseReason.PARSE_ERROR, e.getMessage());
      return;
    }
    boolean closes = packets.stream().anyMatch(packet -> packet instanceof EnginePacket.Close);
    if (!closes) {
      ClientClose.respondOk(post);
    }
    for (EnginePacket packet : packets) {
      if (!session.isOpen()) {
        break;
      }
      if (packet instanceof EnginePacket.Close) {
        closeByClient(post);
        return;
      }
      session.onPacket(packet);
    }
    if (closes) {
      ClientClose.respondOk(post);
    }
  }

  /** The body of an oversized POST was refused: the client broke maxHttpBufferSize. */
  void onOversized() {
    session.close(CloseReason.TRANSPORT_ERROR, "payload larger than maxHttpBufferSize");
  }

  /** The client's close packet over polling; see {@link ClientClose}. */
  private void closeByClient(PollExchange post) {
    clientClose.begin();
    boolean pollPending = polling.hasPendingGet();
    session.close(CloseReason.TRANSPORT_CLOSE, "client sent a close packet");
    clientClose.hold(post, pollPending, loop);
  }

  /**
   * The node that forwarded GET {@code pollId} lost its client: while the GET waits, as when a
   * local poll's connection closes; once answered, the answer (and its packets) went nowhere, so
   * the session ends rather than losing them silently.
   */
  void onAbandoned(String pollId) {
    if (polling.pendingGet() instanceof RelayedPoll relayed && relayed.id().equals(pollId)) {
      relayed.clientGone();
    } else if (session.transport() == Transport.POLLING) {
      session.close(CloseReason.TRANSPORT_ERROR, "a poll answer was not delivered");
    }
  }
}
