package dev.switchboard.rooms.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of one namespace on this node, sharded by event loop: each loop owns the
 * memberships of the members it serves (sockets and SSE streams alike), so joins, leaves and
 * deliveries need no locks. Each loop delivers the broadcasts handed to it in hand-over order, in
 * one task for all that are waiting (inline for the caller's own loop), never one per member. A
 * broadcast to rooms is handed only to the loops that have members in one of them or a join still
 * queued (see {@link #changeRooms}): waking a loop costs a system call, and most broadcasts go to
 * rooms (a socket's own above all) that few loops serve.
 *
 * @param <S> the namespace's sockets: members that also get broadcasts to no room in particular
 *     (SSE streams are only in rooms)
 */
public final class LocalAdapter<S extends RoomMember> {
  private static final Logger log = LoggerFactory.getLogger(LocalAdapter.class);

  private final Class<S> socketType;
  private final DeliveryCounts counts;
  private final ConcurrentHashMap<EventExecutor, Shard<S>> shards = new ConcurrentHashMap<>();
  /** Numbers the shards in the order their {@link Shard#order} locks are taken. */
  private final AtomicInteger shardIndexes = new AtomicInteger();
  /** Held in place of a shard's order by a broadcast that concerns no loop (see {@link #order}). */
  private final SpinLock unconcerned = new SpinLock();
  private final AtomicInteger streamMembers = new AtomicInteger();
  /** Told when a room gains its first or loses its last member on this node (a cluster's subscriptions, occupancy). */
  private final CopyOnWriteArrayList<RoomActivity> activity = new CopyOnWriteArrayList<>();
  /**
   * Per room, how many shards count it among the node's rooms (see {@link RoomMembers#counted}):
   * its size is {@link #roomCount()}, and its first and last shard are what {@link #activity}
   * hears of. Touched only when a room gains its first or loses its last member on a loop, never
   * by a socket's own room.
   */
  private final ConcurrentHashMap<String, Integer> roomShards = new ConcurrentHashMap<>();

  /** An adapter counting what its fan-outs deliver in {@code counts}, which other adapters may share. */
  public LocalAdapter(Class<S> socketType, DeliveryCounts counts) {
    this.socketType = socketType;
    this.counts = counts;
  }

  /**
   * Hears when this node gains its first member in a room and loses its last one; never of a
   * member's own room (a socket's room named by its id), which no other member shares.
   */
  public interface RoomActivity {
    /** Called in order with {@link #inactive} for the same room. */
    void active(String room);

    void inactive(String room);
  }

  /** The memberships held by one event loop, changed only on that loop. */
  static final class Shard<S extends RoomMember> {
    final EventExecutor loop;
    /** Where this shard's {@link #order} comes among the adapter's: locks are taken in this order. */
    final int index;
    /** Held while a broadcast concerning this loop takes its place in the order and is queued (see {@link #order}). */
    final SpinLock order = new SpinLock();
    final Class<S> socketType;
    final HashMap<String, S> sockets = new HashMap<>();
    /** Written only by this loop; read by any thread to decide whether a broadcast concerns it. */
    final ConcurrentHashMap<String, RoomMembers> rooms = new ConcurrentHashMap<>();
    /** Room changes queued for this loop and not yet run: until they have, every broadcast is handed here. */
    final AtomicInteger changesQueued = new AtomicInteger();

    final DeliveryCounts counts;

    Shard(EventExecutor loop, int index, Class<S> socketType, DeliveryCounts counts) {
      this.loop = loop;
      this.index = index;
      this.socketType = socketType;
      this.counts = counts;
    }

    /**
     * Whether a broadcast to {@code target} may reach a member here: it targets every socket, one
     * of its rooms has members here, or a room change queued for this loop may add one before the
     * broadcast would run. Any thread.
     */
    boolean concerns(BroadcastTarget target) {
      if (target.rooms().isEmpty() || changesQueued.get() > 0) {
        return true;
      }
      for (String room : target.rooms()) {
        if (rooms.containsKey(room)) {
          return true;
        }
      }
      return false;
    }

    /** Runs {@code action} on each targeted socket (SSE streams are not sockets). */
    void forEachSocket(BroadcastTarget target, Consumer<S> action) {
      if (target.rooms().isEmpty()) {
        Set<RoomMember> excluded = excluded(target.except());
        for (S socket : new ArrayList<>(sockets.values())) {
          if (!excluded.contains(socket)) {
            action.accept(socket);
          }
        }
        return;
      }
      for (RoomMember member : members(target)) {
        if (socketType.isInstance(member)) {
          action.accept(socketType.cast(member));
        }
      }
    }

    /** Work handed to this loop from any thread, done there in hand-over order. */
    private sealed interface Handed {}

    /** A broadcast, holding one reference until delivered. */
    private record Broadcast(OutboundBroadcast message, BroadcastTarget target) implements Handed {}

    /** A change of members' rooms, or work that must see every change handed over before it. */
    private record RoomChange(Runnable change) implements Handed {}

    /**
     * Broadcasts and room changes handed over and not yet done, in hand-over order: one queue for
     * both, so that a broadcast handed over after a join reaches the member who joined, and one
     * handed over after a leave does not, whichever loop's turn comes first.
     */
    private final ConcurrentLinkedQueue<Handed> handed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Whether this loop is working through {@link #handed} (a delivery may hand over more); loop-confined. */
    private boolean draining;

    /**
     * Queues a broadcast owning one reference; delivered at once when called on this loop, else by
     * a task on it, always after what was handed over before.
     */
    void handOver(OutboundBroadcast message, BroadcastTarget target) {
      handOver(new Broadcast(message, target));
    }

    /**
     * Runs {@code change} on this loop: at once when called there, else after everything handed
     * over before it. Until it has run, every broadcast is handed here ({@link #concerns}).
     */
    void changeRooms(Runnable change) {
      if (loop.inEventLoop()) {
        change.run();
        return;
      }
      changesQueued.incrementAndGet();
      handOver(new RoomChange(() -> {
        try {
          change.run();
        } finally {
          changesQueued.decrementAndGet();
        }
      }));
    }

    private void handOver(Handed work) {
      handed.add(work);
      start();
    }

    /** Queues a broadcast owning one reference, for {@link #start()} to deliver. */
    void queue(OutboundBroadcast message, BroadcastTarget target) {
      handed.add(new Broadcast(message, target));
    }

    /** Delivers what is queued: at once when called on this loop, else by a task on it. */
    void start() {
      if (loop.inEventLoop()) {
        drain();
      } else if (drainScheduled.compareAndSet(false, true)) {
        try {
          loop.execute(this::drainTask);
        } catch (RejectedExecutionException e) {
          drainScheduled.set(false);
          discard(); // the loop is shutting down: its members are gone
        }
      }
    }

    private void drainTask() {
      drainScheduled.set(false);
      drain();
    }

    private void drain() {
      if (draining) {
        return; // the work in progress goes on with it, in order
      }
      draining = true;
      try {
        Handed next;
        while ((next = handed.poll()) != null) {
          switch (next) {
            case Broadcast broadcast -> {
              try {
                deliver(broadcast.message(), broadcast.target());
              } finally {
                broadcast.message().release();
              }
            }
            case RoomChange change -> {
              try {
                change.change().run();
              } catch (RuntimeException e) {
                // Thrown by an application's action (apply): the work queued behind it still runs.
                log.warn("a room change failed on {}", loop, e);
              }
            }
          }
        }
      } finally {
        draining = false;
      }
    }

    private void discard() {
      Handed next;
      while ((next = handed.poll()) != null) {
        switch (next) {
          case Broadcast broadcast -> broadcast.message().release();
          case RoomChange change -> changesQueued.decrementAndGet();
        }
      }
    }

    /** Delivers a shared broadcast: the hot path of every fan-out. Counts the members reached once. */
    void deliver(OutboundBroadcast message, BroadcastTarget target) {
      Set<RoomMember> excluded = excluded(target.except());
      // Most broadcasts except nobody: then no member is looked up in a set (1.2% of a fan-out's CPU).
      boolean excludes = !excluded.isEmpty();
      boolean volatileDelivery = target.volatileDelivery();
      int reached = 0;
      if (target.rooms().isEmpty()) {
        for (S socket : sockets.values()) {
          if (!excludes || !excluded.contains(socket)) {
            socket.deliver(message, volatileDelivery);
            reached++;
          }
        }
      } else if (target.rooms().size() == 1) {
        RoomMembers members = rooms.get(target.rooms().iterator().next());
        if (members != null) {
          for (RoomMember member : members) {
            if (!excludes || !excluded.contains(member)) {
              member.deliver(message, volatileDelivery);
              reached++;
            }
          }
        }
      } else {
        for (RoomMember member : members(target)) {
          member.deliver(message, volatileDelivery);
          reached++;
        }
      }
      counts.delivered(reached);
    }

    /** The members in any of the target's rooms and none of its excepted rooms, each once. */
    private List<RoomMember> members(BroadcastTarget target) {
      Set<RoomMember> excluded = excluded(target.except());
      Set<RoomMember> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      List<RoomMember> out = new ArrayList<>();
      for (String room : target.rooms()) {
        RoomMembers members = rooms.get(room);
        if (members == null) {
          continue;
        }
        for (RoomMember member : members) {
          if (!excluded.contains(member) && seen.add(member)) {
            out.add(member);
          }
        }
      }
      return out;
    }

    private Set<RoomMember> excluded(Set<String> except) {
      if (except.isEmpty()) {
        return Set.of();
      }
      Set<RoomMember> excluded = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String room : except) {
        RoomMembers members = rooms.get(room);
        if (members != null) {
          members.forEach(excluded::add);
        }
      }
      return excluded;
    }
  }

  private Shard<S> shard(EventExecutor loop) {
    return shards.computeIfAbsent(loop, l -> new Shard<>(l, shardIndexes.getAndIncrement(), socketType, counts));
  }

  // ---- membership: called on the member's event loop

  public void add(S socket) {
    shard(socket.executor()).sockets.put(socket.id(), socket);
  }

  /**
   * Runs {@code change}, which joins or leaves rooms for {@code member}, on the member's loop: at
   * once when called there, else queued. A broadcast issued after this call, from any thread,
   * reaches the rooms the change joins, as it would had the change run at once.
   */
  public void changeRooms(RoomMember member, Runnable change) {
    shard(member.executor()).changeRooms(change);
  }

  /** Adds {@code member} to {@code room}; call on the member's loop. */
  public void join(RoomMember member, String room) {
    RoomMembers members = shard(member.executor()).rooms.computeIfAbsent(room, r -> new RoomMembers());
    if (members.add(member) && members.size() == 1) {
      members.counted = !room.equals(member.id());
      if (members.counted) {
        roomShards.compute(room, (r, count) -> {
          if (count == null) {
            activity.forEach(listener -> listener.active(r));
            return 1;
          }
          return count + 1;
        });
      }
    }
  }

  /**
   * Adds {@code member} to {@code room}, a room of the server's own that no client names: never
   * counted among the node's rooms, told to {@link #onRoomActivity} listeners or listed in
   * {@link #roomSizes}; {@link #leave} takes the member out again. Call on the member's loop.
   */
  public void joinUnlisted(RoomMember member, String room) {
    RoomMembers members = shard(member.executor()).rooms.computeIfAbsent(room, r -> {
      RoomMembers created = new RoomMembers();
      created.listed = false;
      return created;
    });
    members.add(member);
  }

  /** Removes {@code member} from {@code room}; call on the member's loop. */
  public void leave(RoomMember member, String room) {
    Shard<S> shard = shard(member.executor());
    RoomMembers members = shard.rooms.get(room);
    if (members != null && members.remove(member) && members.isEmpty()) {
      shard.rooms.remove(room);
      if (members.counted) {
        roomShards.computeIfPresent(room, (r, count) -> {
          if (count == 1) {
            activity.forEach(listener -> listener.inactive(r));
            return null;
          }
          return count - 1;
        });
      }
    }
  }

  /** Rooms with members on this node now, a socket's own room (named after it) not counted. */
  public int roomCount() {
    return roomShards.size();
  }

  /** Where this adapter counts its deliveries. */
  public DeliveryCounts counts() {
    return counts;
  }

  /**
   * Adds a listener of rooms gaining their first and losing their last member on this node; add
   * every one before any member joins (rooms joined before are not counted).
   */
  public void onRoomActivity(RoomActivity listener) {
    activity.add(listener);
  }

  public void remove(S socket, Set<String> rooms) {
    for (String room : rooms) {
      leave(socket, room);
    }
    shard(socket.executor()).sockets.remove(socket.id());
  }

  /** Counts a member that reads SSE, so broadcasts know to encode for it. */
  public void streamMemberAdded() {
    streamMembers.incrementAndGet();
  }

  public void streamMemberRemoved() {
    streamMembers.decrementAndGet();
  }

  /** Whether any member needs the SSE encoding of broadcasts. */
  public boolean hasStreamMembers() {
    return streamMembers.get() > 0;
  }

  // ---- fan-out: callable from any thread

  /**
   * Delivers {@code message} to the target; takes ownership of one reference. Every loop delivers
   * the broadcasts handed to it in the order they were handed over, the caller's own loop included
   * (which delivers at once, after what other threads handed it before): so broadcasts handed over
   * in the order of their positions reach every member in that order.
   */
  public void broadcast(OutboundBroadcast message, BroadcastTarget target) {
    try {
      for (Shard<S> shard : shards.values()) {
        if (shard.concerns(target)) {
          message.retain();
          shard.handOver(message, target);
        }
      }
    } finally {
      message.release();
    }
  }

  /**
   * Takes the order of the loops a broadcast to {@code target} concerns, for a caller that gives
   * the broadcast a place of its own (an offset, a history position) and must have every member
   * receive broadcasts in the order of those places: it takes its place and queues the broadcast
   * ({@link Order#queue}) holding the order, closes it, and only then starts the deliveries, so no
   * socket write or wake-up of another loop runs while the order is held (a loop waiting for it
   * would wait for those too). Broadcasts concerning different loops (rooms served by one loop
   * each, above all a socket's own) never wait for each other; one concerning no loop takes a
   * place among the others that concern none. The caller's places must be handed out while it
   * holds the order, so that on each loop they rise in queue order.
   */
  public Order order(BroadcastTarget target) {
    List<Shard<S>> held = concerned(target);
    while (true) {
      lock(held);
      // A join may have made another loop concerned before the locks were held: then take its
      // lock too, in lock order, so that what the caller queues reaches every member it must. A
      // loop held stays held (and queued on) if its members left meanwhile: it delivers to none.
      List<Shard<S>> more = null;
      for (Shard<S> shard : shards.values()) {
        if (!held.contains(shard) && shard.concerns(target)) {
          if (more == null) {
            more = new ArrayList<>(1);
          }
          more.add(shard);
        }
      }
      if (more == null) {
        return new Order(held, target, unconcerned);
      }
      unlock(held);
      more.forEach(shard -> insertInLockOrder(held, shard));
    }
  }

  /**
   * Runs {@code read} while no broadcast holds any {@link #order}: every place handed out before
   * has been taken by its broadcast, and every one handed out after comes after. For reads that
   * must see a consistent cut of the order (what a recovering socket missed).
   */
  public <T> T inTotalOrder(Supplier<T> read) {
    List<Shard<S>> all = inLockOrder(shard -> true);
    lock(all);
    unconcerned.lock();
    try {
      return read.get();
    } finally {
      unconcerned.unlock();
      unlock(all);
    }
  }

  /** The shards a broadcast to {@code target} concerns, in lock order. */
  private List<Shard<S>> concerned(BroadcastTarget target) {
    return inLockOrder(shard -> shard.concerns(target));
  }

  /** The shards {@code which} accepts, in lock order. */
  private List<Shard<S>> inLockOrder(Predicate<Shard<S>> which) {
    List<Shard<S>> found = new ArrayList<>(2);
    for (Shard<S> shard : shards.values()) {
      if (which.test(shard)) {
        insertInLockOrder(found, shard);
      }
    }
    return found;
  }

  private static <S extends RoomMember> void insertInLockOrder(List<Shard<S>> inLockOrder, Shard<S> shard) {
    int at = inLockOrder.size();
    while (at > 0 && inLockOrder.get(at - 1).index > shard.index) {
      at--;
    }
    inLockOrder.add(at, shard);
  }

  private void lock(List<Shard<S>> inLockOrder) {
    if (inLockOrder.isEmpty()) {
      unconcerned.lock();
    }
    for (Shard<S> shard : inLockOrder) {
      shard.order.lock();
    }
  }

  private void unlock(List<Shard<S>> inLockOrder) {
    if (inLockOrder.isEmpty()) {
      unconcerned.unlock();
    }
    for (int i = inLockOrder.size() - 1; i >= 0; i--) {
      inLockOrder.get(i).order.unlock();
    }
  }

  /** The order of the loops one broadcast concerns, held until closed: see {@link LocalAdapter#order}. */
  public static final class Order implements AutoCloseable {
    /** The loops whose order is held, in lock order; none when {@link #unconcerned} is held instead. */
    private final List<? extends Shard<?>> held;
    private final BroadcastTarget target;
    private final SpinLock unconcerned;

    private Order(List<? extends Shard<?>> held, BroadcastTarget target, SpinLock unconcerned) {
      this.held = held;
      this.target = target;
      this.unconcerned = unconcerned;
    }

    /**
     * Queues {@code message} on every loop held, taking ownership of one reference, and leaves
     * their delivery to the returned {@link Queued#start()}: call it once this order is closed.
     */
    public Queued queue(OutboundBroadcast message) {
      try {
        for (Shard<?> shard : held) {
          message.retain();
          shard.queue(message, target);
        }
      } finally {
        message.release();
      }
      return () -> held.forEach(Shard::start);
    }

    @Override
    public void close() {
      if (held.isEmpty()) {
        unconcerned.unlock();
      }
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).order.unlock();
      }
    }
  }

  /** Broadcasts {@link Order#queue queued} and not yet started. */
  @FunctionalInterface
  public interface Queued {
    /** Delivers them, with whatever else their loops have queued before: call once, on any thread. */
    void start();
  }

  /**
   * Runs {@code action} on every targeted socket, on the socket's own loop. Completes with the
   * number of sockets acted on once every loop has run.
   */
  public CompletableFuture<Integer> apply(BroadcastTarget target, Consumer<S> action) {
    List<Shard<S>> snapshot = new ArrayList<>(shards.values());
    CompletableFuture<Integer> done = new CompletableFuture<>();
    if (snapshot.isEmpty()) {
      done.complete(0);
      return done;
    }
    AtomicInteger pending = new AtomicInteger(snapshot.size());
    AtomicInteger count = new AtomicInteger();
    for (Shard<S> shard : snapshot) {
      // Counted as a room change: the action may join rooms (socketsJoin), and a broadcast issued
      // after this call must find the sockets in them.
      shard.changeRooms(() -> {
        try {
          shard.forEachSocket(target, socket -> {
            count.incrementAndGet();
            action.accept(socket);
          });
        } finally {
          if (pending.decrementAndGet() == 0) {
            done.complete(count.get());
          }
        }
      });
    }
    return done;
  }

  /** Room names with their member counts, gathered from every loop. */
  public CompletableFuture<Map<String, Integer>> roomSizes() {
    List<Shard<S>> snapshot = new ArrayList<>(shards.values());
    Map<String, Integer> sizes = new ConcurrentHashMap<>();
    CompletableFuture<?>[] parts = new CompletableFuture<?>[snapshot.size()];
    for (int i = 0; i < parts.length; i++) {
      Shard<S> shard = snapshot.get(i);
      CompletableFuture<Void> part = new CompletableFuture<>();
      parts[i] = part;
      shard.loop.execute(() -> {
        shard.rooms.forEach((room, members) -> {
          if (members.listed) {
            sizes.merge(room, members.size(), Integer::sum);
          }
        });
        part.complete(null);
      });
    }
    return CompletableFuture.allOf(parts).thenApply(v -> Map.copyOf(sizes));
  }
}
