package dev.switchboard.presence;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Who is in which room, counted per connection so that a user with several tabs appears once and
 * leaves only with the last one. Implementations are thread-safe. A cluster implementation keeps
 * entries with an expiry that each live node refreshes through {@link #refresh()}, so the members
 * of a node that died are dropped within seconds.
 */
public interface PresenceStore {
  /** Records {@code connectionId} of {@code member} in {@code room}; true when the member just arrived. */
  boolean add(String room, PresenceMember member, String connectionId);

  /** Forgets {@code connectionId} in {@code room}; the member when that was their last connection there. */
  Optional<PresenceMember> remove(String room, String connectionId);

  /** The members of {@code room}, each once. */
  List<PresenceMember> members(String room);

  /** Keeps this node's entries alive; a no-op for a single node. */
  default void refresh() {}

  /** {@link #add} without blocking the caller; stores backed by a network service override it. */
  default CompletableFuture<Boolean> addAsync(String room, PresenceMember member, String connectionId) {
    return CompletableFuture.completedFuture(add(room, member, connectionId));
  }

  /** {@link #remove} without blocking the caller. */
  default CompletableFuture<Optional<PresenceMember>> removeAsync(String room, String connectionId) {
    return CompletableFuture.completedFuture(remove(room, connectionId));
  }

  /**
   * Lets go of {@code connectionId} in {@code room} on this node without taking it out of the
   * store, for a connection kept for recovery on another node as this one stops: its member stays
   * present, the node that takes the connection back records it again ({@link #addAsync}, which
   * finds the member present), and should none do so the entry expires as a dead node's do. A store
   * no other node shares removes it ({@link #removeAsync}); the member when that was their last
   * connection there, to announce.
   */
  default CompletableFuture<Optional<PresenceMember>> handOverAsync(String room, String connectionId) {
    return removeAsync(room, connectionId);
  }

  /** {@link #members} without blocking the caller. */
  default CompletableFuture<List<PresenceMember>> membersAsync(String room) {
    return CompletableFuture.completedFuture(members(room));
  }

  /**
   * Holds a place in {@code room} for the member {@code memberId} during {@code hold}, unless the
   * room already has {@code maxMembers} other members, present or holding a place: completes with
   * true when the member is present, holds a place or got one, false when the room is full. A
   * place lets a member be counted from the moment it is promised until its connection is
   * recorded ({@link #add}), which gives it up; it lapses after {@code hold} if that never comes. The
   * default reads the members first and is not atomic (two callers may both get the last place);
   * the stores of this project check and hold in one step, on a single node and across a cluster.
   */
  default CompletableFuture<Boolean> reserve(String room, String memberId, int maxMembers, Duration hold) {
    return membersAsync(room).thenApply(members ->
        members.size() < maxMembers || members.stream().anyMatch(member -> member.id().equals(memberId)));
  }

  /**
   * Registers who hears of members that left {@code room} without a {@link #remove}: their
   * node stopped refreshing them (a cluster store only; a single node never calls it).
   */
  default void onExpired(BiConsumer<String, PresenceMember> listener) {}

  /**
   * Registers who hears of members of this node that the store counts present again without an
   * {@link #add} reaching it: their node could not reach the shared store for a while and wrote
   * them again when it could (a cluster store only; a single node never calls it). Only the node
   * that wrote them hears it, once over the cluster, to tell the other nodes' members.
   */
  default void onRestored(Consumer<Restored> listener) {}

  /**
   * A member counted present again in {@code room} (see {@link #onRestored}).
   *
   * @param expired whether the store had announced them gone ({@link #onExpired}) meanwhile;
   *     otherwise they arrived on this node meanwhile, and only this node's members were told
   */
  record Restored(String room, PresenceMember member, boolean expired) {}
}
