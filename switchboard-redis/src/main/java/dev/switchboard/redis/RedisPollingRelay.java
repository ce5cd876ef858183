package dev.switchboard.redis;

import dev.switchboard.engineio.ForwardedPoll;
import dev.switchboard.engineio.PollingRelay;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards polling requests over Redis pub/sub. Each node listens on the poll channel of its tag;
 * a forwarded request is published to the owner's channel, and the answer to the channel of the
 * node that forwarded it. PUBLISH counts the receivers, which tells at once that no live node has
 * a tag (the session's node is gone) and, at the owner, that an answer reached nobody (the owner
 * then ends the session instead of losing the packets it took from the queue).
 */
final class RedisPollingRelay implements PollingRelay {
  private static final Logger log = LoggerFactory.getLogger(RedisPollingRelay.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Forwarded requests waiting for their answer at most; more fail at once (the client reconnects). */
  static final int MAX_WAITING = 65_536;

  private final RedisConnections redis;
  private final Keys keys;
  private final String tag;
  private final byte[] channel;
  private final ConcurrentHashMap<String, CompletableFuture<Optional<ForwardedPoll.Answer>>> waiting =
      new ConcurrentHashMap<>();
  private volatile PollingOwner owner;

  RedisPollingRelay(RedisConnections redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    this.tag = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    this.channel = keys.pollChannel(tag);
  }

  @Override
  public String nodeTag() {
    return tag;
  }

  @Override
  public void start(PollingOwner pollingOwner) {
    if (owner != null) {
      throw new IllegalStateException("a Redis cluster serves one server");
    }
    owner = pollingOwner;
    redis.pubsub().onMessage((from, message) -> {
      if (Arrays.equals(from, channel)) {
        received(message);
      }
    });
    redis.pubsub().subscribe(List.of(channel)).whenComplete((ok, error) -> {
      if (error != null) {
        redis.health().failed(error);
      }
    });
    // Answers on their way are lost with the connection: the clients waiting for them hear it now.
    redis.onDisconnect(this::failWaiting);
    redis.onReconnect(() -> redis.pubsub().subscribe(List.of(channel)).whenComplete((ok, error) -> {
      if (error != null) {
        redis.health().failed(error);
      }
    }));
  }

  @Override
  public CompletableFuture<Optional<ForwardedPoll.Answer>> forward(String ownerTag, ForwardedPoll poll, Duration timeout) {
    if (waiting.size() >= MAX_WAITING) {
      return CompletableFuture.failedFuture(new RejectedExecutionException("too many forwarded polls waiting"));
    }
    CompletableFuture<Optional<ForwardedPoll.Answer>> answer = new CompletableFuture<>();
    waiting.put(poll.id(), answer);
    answer.whenComplete((result, error) -> waiting.remove(poll.id(), answer));
    answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    byte[] message = PollMessages.forward(tag, poll);
    redis.publish(keys.pollChannel(ownerTag), message).whenComplete((receivers, error) -> {
      if (error != null) {
        answer.completeExceptionally(error);
      } else if (receivers == 0) {
        answer.complete(Optional.empty());
      }
    });
    return answer;
  }

  @Override
  public void abandon(String ownerTag, String sessionId, String pollId) {
    byte[] message = PollMessages.abandon(sessionId, pollId);
    redis.publish(keys.pollChannel(ownerTag), message);
  }

  private void failWaiting() {
    IllegalStateException lost = new IllegalStateException("connection to Redis lost");
    waiting.values().forEach(answer -> answer.completeExceptionally(lost));
  }

  /** Forwarded requests waiting for their answer. */
  int waiting() {
    return waiting.size();
  }

  private void received(byte[] message) {
    try {
      switch (PollMessages.read(message)) {
        case PollMessages.Forward forward -> serve(forward);
        case PollMessages.Answer answer -> {
          CompletableFuture<Optional<ForwardedPoll.Answer>> pending = waiting.get(answer.pollId());
          if (pending != null) {
            pending.complete(Optional.of(answer.answer()));
          }
        }
        case PollMessages.Abandon abandon -> owner.abandoned(abandon.sessionId(), abandon.pollId());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("dropped a malformed poll message: {}", e.toString());
    }
  }

  private void serve(PollMessages.Forward forward) {
    ForwardedPoll poll = forward.poll();
    byte[] replyChannel = keys.pollChannel(forward.from());
    owner.serve(poll).whenComplete((answer, error) -> {
      if (error != null) {
        log.warn("forwarded {} for session {} failed on this node: {}", poll.kind(), poll.sessionId(), error.toString());
        return;
      }
      byte[] reply = PollMessages.answer(poll.id(), answer);
      redis.publish(replyChannel, reply).whenComplete((receivers, failed) -> {
        if (poll.kind() == ForwardedPoll.Kind.GET && (failed != null || receivers == 0)) {
          owner.abandoned(poll.sessionId(), poll.id());
        }
      });
    });
  }
}
