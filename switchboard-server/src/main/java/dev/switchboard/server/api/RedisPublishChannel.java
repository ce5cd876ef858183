package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.server.messages.PublishRules;
import dev.switchboard.server.messages.RoomNames;
import dev.switchboard.socketio.SocketIoServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis channel any backend publishes {@code JSON.stringify({room, event, data})} to, delivered
 * as {@code io.to(room).emit(event, data)}. Every node subscribes and delivers each message to its
 * own members of the room only, so each recipient gets it exactly once however many nodes there
 * are. Such messages are not kept in room history nor for connection state recovery (publish
 * through the server API for that). A message that is not such an object, or names a malformed
 * room or a reserved event, is counted and logged (at most once per {@link #LOG_INTERVAL}) and
 * dropped.
 */
public final class RedisPublishChannel {
  private static final Logger log = LoggerFactory.getLogger(RedisPublishChannel.class);
  /** Least time between two warnings about malformed messages. */
  static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  private final String channel;
  private final SocketIoServer io;
  private final Set<String> reserved;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());
  private final AtomicLong unloggedSinceWarning = new AtomicLong();

  private RedisPublishChannel(String channel, SocketIoServer io, Set<String> reserved) {
    this.channel = channel;
    this.io = io;
    this.reserved = reserved;
  }

  /**
   * Subscribes this node to {@code channel} of {@code cluster}; the future completes once Redis
   * confirmed the subscription. {@code reserved}: event names a message may not carry.
   */
  public static CompletableFuture<RedisPublishChannel> subscribe(RedisCluster cluster, String channel, SocketIoServer io,
      Set<String> reserved) {
    RedisPublishChannel subscriber = new RedisPublishChannel(channel, io, reserved);
    return cluster.subscribe(channel, subscriber::received).thenApply(ok -> subscriber);
  }

  public String channel() {
    return channel;
  }

  /** Messages delivered to this node's members so far. */
  public long delivered() {
    return delivered.get();
  }

  /** Messages dropped as malformed so far. */
  public long malformed() {
    return malformed.get();
  }

  /** Registers the channel's counts as {@code switchboard.publish.channel.messages}, tagged {@code result}. */
  public void bindTo(MeterRegistry registry) {
    String description = "Messages of the Redis publish channel, delivered to this node's members or dropped as malformed.";
    FunctionCounter.builder("switchboard.publish.channel.messages", this, RedisPublishChannel::delivered)
        .description(description).tag("result", "delivered").register(registry);
    FunctionCounter.builder("switchboard.publish.channel.messages", this, RedisPublishChannel::malformed)
        .description(description).tag("result", "malformed").register(registry);
  }

  /** One message, on a Redis I/O thread: parsed, checked and handed to the event loops of the room's members here. */
  void received(byte[] message) {
    JsonNode json;
    try {
      json = ApiJson.MAPPER.readTree(message);
    } catch (IOException e) {
      drop("it is not JSON");
      return;
    }
    if (json == null || !json.isObject()) {
      drop("it is not a JSON object {room, event, data}");
      return;
    }
    JsonNode room = json.get("room");
    JsonNode event = json.get("event");
    if (room == null || !room.isTextual() || RoomNames.problem(room.textValue()).isPresent()) {
      drop("its room is missing or not a well-formed room name");
      return;
    }
    Optional<PublishRules.Problem> badEvent = event == null || !event.isTextual()
        ? Optional.of(new PublishRules.Problem("INVALID_EVENT", "its event is missing"))
        : PublishRules.checkEvent(event.textValue(), reserved);
    if (badEvent.isPresent()) {
      drop("its event is missing, reserved or not a valid name");
      return;
    }
    JsonNode data = json.has("data") ? json.get("data") : NullNode.getInstance();
    io.to(room.textValue()).local().emit(event.textValue(), data);
    delivered.incrementAndGet();
  }

  private void drop(String why) {
    long count = malformed.incrementAndGet();
    long now = System.nanoTime();
    long last = lastWarningNanos.get();
    if (now - last >= LOG_INTERVAL.toNanos() && lastWarningNanos.compareAndSet(last, now)) {
      long unlogged = unloggedSinceWarning.getAndSet(0);
      log.warn("dropped a message of Redis channel {}: {} (expected {{room, event, data}}; {} dropped in all, {} more since the last warning)",
          channel, why, count, unlogged);
    } else {
      unloggedSinceWarning.incrementAndGet();
    }
  }
}
