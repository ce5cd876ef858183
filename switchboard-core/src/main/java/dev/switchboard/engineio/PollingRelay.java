package dev.switchboard.engineio;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Carries long-polling requests to the node that owns their session, so that a polling client
 * need not be kept on one node. Every session id a node creates ends with the node's
 * {@link #nodeTag()}; a node that gets a request for a session it does not hold forwards it to
 * the node of that tag, which serves it like one of its own and sends back the answer. Every
 * method may be called from an event loop and must not block.
 */
public interface PollingRelay {
  /** This node's tag: short, URL-safe, without {@code .}, unique among the live nodes. */
  String nodeTag();

  /** Starts serving the requests other nodes forward to this node's sessions. Called once. */
  void start(PollingOwner owner);

  /**
   * Forwards {@code poll} to the node tagged {@code ownerTag}. Completes with its answer, empty
   * when no live node has that tag, or exceptionally when the relay failed or no answer came
   * within {@code timeout}. Cancelling the returned future forgets the request on this node only
   * (see {@link #abandon}).
   */
  CompletableFuture<Optional<ForwardedPoll.Answer>> forward(String ownerTag, ForwardedPoll poll, Duration timeout);

  /**
   * The client of forwarded poll {@code pollId} went away before its answer was delivered (or
   * the answer could not be delivered): the owner drops the poll and, since packets may be lost
   * with it, ends the session. Fire and forget.
   */
  void abandon(String ownerTag, String sessionId, String pollId);

  /** The node side of a relay: where forwarded requests for this node's sessions are served. */
  interface PollingOwner {
    /**
     * Serves {@code poll} like a request received here; completes with the answer (for a GET,
     * when packets are ready or the heartbeat is due).
     */
    CompletableFuture<ForwardedPoll.Answer> serve(ForwardedPoll poll);

    /** Forwarded GET {@code pollId} of {@code sessionId} was abandoned, or its answer was not delivered. */
    void abandoned(String sessionId, String pollId);
  }
}
