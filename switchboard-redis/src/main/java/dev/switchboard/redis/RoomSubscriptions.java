package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The room channels this node listens to: one per room it has members in, subscribed when the
 * first member joins and unsubscribed when the last one leaves, plus the fixed channels every
 * node listens to. After a reconnection every channel is subscribed again.
 */
final class RoomSubscriptions {
  /** A room of a namespace. */
  record Room(String namespace, String room) {}

  private final PubSub pubsub;
  private final RedisHealth health;
  private final Keys keys;
  private final List<byte[]> fixed;
  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
  /** Room channels Redis confirmed, by name. */
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  /** Subscriptions asked for and not yet answered, by channel name. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> answering = new ConcurrentHashMap<>();
  /** How many times the subscriptions may have been lost; changed with {@link #confirmed}, under this object's lock. */
  private volatile long generation;

  RoomSubscriptions(PubSub pubsub, RedisHealth health, Keys keys, List<byte[]> fixed) {
    this.pubsub = pubsub;
    this.health = health;
    this.keys = keys;
    this.fixed = List.copyOf(fixed);
  }

  /** Subscribes the fixed channels, waiting for Redis to confirm; once, at start. */
  void start() {
    try {
      pubsub.subscribe(fixed).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot subscribe the cluster's channels: " + e, e);
    }
  }

  /** Called in order with {@link #remove} for the same room. */
  void add(String namespace, String room) {
    byte[] channel = keys.roomChannel(namespace, room);
    String name = name(channel);
    rooms.put(name, new Room(namespace, room));
    CompletableFuture<Void> answered = new CompletableFuture<>();
    answering.put(name, answered);
    long since = generation;
    CompletableFuture<Void> subscribed = pubsub.subscribe(List.of(channel));
    watch(subscribed);
    subscribed.whenComplete((ok, error) -> {
      if (error == null) {
        confirm(name, since);
      }
      answering.remove(name, answered);
      if (error == null) {
        answered.complete(null);
      } else {
        answered.completeExceptionally(error);
      }
    });
  }

  /**
   * Whether a message published to the room's channel from now on reaches this node: its
   * subscription is confirmed.
   */
  boolean listening(String namespace, String room) {
    return confirmed.contains(name(keys.roomChannel(namespace, room)));
  }

  /** Completes when the room's subscription is answered; at once when none is pending. */
  CompletableFuture<Void> whenListening(String namespace, String room) {
    CompletableFuture<Void> answered = answering.get(name(keys.roomChannel(namespace, room)));
    return answered != null ? answered : CompletableFuture.completedFuture(null);
  }

  void remove(String namespace, String room) {
    byte[] channel = keys.roomChannel(namespace, room);
    rooms.remove(name(channel));
    confirmed.remove(name(channel));
    watch(pubsub.unsubscribe(channel));
  }

  /** The room a room channel carries, or null for another channel. */
  Room roomOf(byte[] channel) {
    return rooms.get(name(channel));
  }

  /** Subscribes every channel this node needs (after a reconnection); its rooms count as heard once Redis confirms. */
  void restore() {
    long since = generation;
    List<byte[]> all = new ArrayList<>(fixed);
    List<String> names = List.copyOf(rooms.keySet());
    names.forEach(name -> all.add(name.getBytes(StandardCharsets.UTF_8)));
    CompletableFuture<Void> subscribed = pubsub.subscribe(all);
    watch(subscribed);
    subscribed.thenRun(() -> names.forEach(name -> confirm(name, since)));
  }

  /**
   * A connection to Redis was lost or dropped, and subscriptions may have gone with it: no room
   * counts as heard until Redis confirms its subscription again, so that the publishing node
   * serves its own members from the answer to the publish meanwhile.
   */
  synchronized void lost() {
    confirmed.clear();
    generation++;
  }

  /**
   * Changes each time subscriptions may have been lost: a publish that saw one value before it
   * was sent and another when answered may not come back from its channel.
   */
  long generation() {
    return generation;
  }

  /** Redis confirmed the room's subscription, asked for at {@code since}: heard, unless lost since. */
  private synchronized void confirm(String name, long since) {
    if (generation == since && rooms.containsKey(name)) {
      confirmed.add(name);
    }
  }

  int size() {
    return rooms.size();
  }

  private void watch(CompletableFuture<Void> future) {
    future.whenComplete((ok, error) -> {
      if (error != null) {
        health.failed(error);
      }
    });
  }

  private static String name(byte[] channel) {
    return new String(channel, StandardCharsets.UTF_8);
  }
}
