package dev.switchboard.socketio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The rooms of one namespace on this node, sharded by event loop: each loop owns the
 * memberships of the sockets it serves, so joins, leaves and deliveries need no locks. A
 * broadcast runs as one task per loop (inline for the caller's own loop), never one per socket.
 */
public final class LocalAdapter {
  private final ConcurrentHashMap<EventExecutor, Shard> shards = new ConcurrentHashMap<>();

  /** The memberships held by one event loop; touched only from that loop. */
  static final class Shard {
    final EventExecutor loop;
    final HashMap<String, RealSocket> sockets = new HashMap<>();
    final HashMap<String, LinkedHashSet<RealSocket>> rooms = new HashMap<>();

    Shard(EventExecutor loop) {
      this.loop = loop;
    }

    void forEach(BroadcastTarget target, Consumer<RealSocket> action) {
      Set<RealSocket> excluded = excluded(target.except());
      if (target.rooms().isEmpty()) {
        for (RealSocket socket : new ArrayList<>(sockets.values())) {
          if (!excluded.contains(socket)) {
            action.accept(socket);
          }
        }
        return;
      }
      if (target.rooms().size() == 1) {
        LinkedHashSet<RealSocket> members = rooms.get(target.rooms().iterator().next());
        if (members != null) {
          for (RealSocket socket : members.toArray(new RealSocket[0])) {
            if (!excluded.contains(socket)) {
              action.accept(socket);
            }
          }
        }
        return;
      }
      Set<RealSocket> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String room : target.rooms()) {
        LinkedHashSet<RealSocket> members = rooms.get(room);
        if (members == null) {
          continue;
        }
        for (RealSocket socket : members.toArray(new RealSocket[0])) {
          if (!excluded.contains(socket) && seen.add(socket)) {
            action.accept(socket);
          }
        }
      }
    }

    /** Delivers a shared packet; the hot path of every broadcast. */
    void deliver(SioEncoder.Encoded packet, BroadcastTarget target) {
      Set<RealSocket> excluded = excluded(target.except());
      boolean volatileDelivery = target.volatileDelivery();
      if (target.rooms().size() == 1) {
        LinkedHashSet<RealSocket> members = rooms.get(target.rooms().iterator().next());
        if (members != null) {
          for (RealSocket socket : members) {
            if (!excluded.contains(socket)) {
              socket.writeShared(packet, volatileDelivery);
            }
          }
        }
        return;
      }
      forEach(target, socket -> socket.writeShared(packet, volatileDelivery));
    }

    private Set<RealSocket> excluded(Set<String> except) {
      if (except.isEmpty()) {
        return Set.of();
      }
      Set<RealSocket> excluded = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String room : except) {
        LinkedHashSet<RealSocket> members = rooms.get(room);
        if (members != null) {
          excluded.addAll(members);
        }
      }
      return excluded;
    }
  }

  private Shard shard(EventExecutor loop) {
    return shards.computeIfAbsent(loop, Shard::new);
  }

  // ---- membership: called on the socket's event loop

  void add(RealSocket socket) {
    shard(socket.executor()).sockets.put(socket.id(), socket);
  }

  void join(RealSocket socket, String room) {
    shard(socket.executor()).rooms.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(socket);
  }

  void leave(RealSocket socket, String room) {
    Shard shard = shard(socket.executor());
    LinkedHashSet<RealSocket> members = shard.rooms.get(room);
    if (members != null && members.remove(socket) && members.isEmpty()) {
      shard.rooms.remove(room);
    }
  }

  void remove(RealSocket socket, Set<String> rooms) {
    for (String room : rooms) {
      leave(socket, room);
    }
    shard(socket.executor()).sockets.remove(socket.id());
  }

  // ---- fan-out: callable from any thread

  /** Delivers {@code packet} to the target; takes ownership of the packet's buffer. */
  public void broadcast(SioEncoder.Encoded packet, BroadcastTarget target) {
    ByteBuf text = packet.text();
    try {
      for (Shard shard : shards.values()) {
        if (shard.loop.inEventLoop()) {
          shard.deliver(packet, target);
        } else {
          text.retain();
          shard.loop.execute(() -> {
            try {
              shard.deliver(packet, target);
            } finally {
              text.release();
            }
          });
        }
      }
    } finally {
      text.release();
    }
  }

  /**
   * Runs {@code action} on every targeted socket, on the socket's own loop. Completes with the
   * number of sockets acted on once every loop has run.
   */
  public CompletableFuture<Integer> apply(BroadcastTarget target, Consumer<RealSocket> action) {
    List<Shard> snapshot = new ArrayList<>(shards.values());
    CompletableFuture<Integer> done = new CompletableFuture<>();
    if (snapshot.isEmpty()) {
      done.complete(0);
      return done;
    }
    AtomicInteger pending = new AtomicInteger(snapshot.size());
    AtomicInteger count = new AtomicInteger();
    for (Shard shard : snapshot) {
      Runnable task = () -> {
        try {
          shard.forEach(target, socket -> {
            count.incrementAndGet();
            action.accept(socket);
          });
        } finally {
          if (pending.decrementAndGet() == 0) {
            done.complete(count.get());
          }
        }
      };
      if (shard.loop.inEventLoop()) {
        task.run();
      } else {
        shard.loop.execute(task);
      }
    }
    return done;
  }

  /** The number of members of {@code room} on the calling loop's shard (for tests and metrics). */
  int localRoomSize(EventExecutor loop, String room) {
    Shard shard = shards.get(loop);
    if (shard == null) {
      return 0;
    }
    Set<RealSocket> members = shard.rooms.get(room);
    return members == null ? 0 : members.size();
  }

  /** Room names with their member counts, gathered from every loop. */
  public CompletableFuture<Map<String, Integer>> roomSizes() {
    List<Shard> snapshot = new ArrayList<>(shards.values());
    Map<String, Integer> sizes = new ConcurrentHashMap<>();
    CompletableFuture<?>[] parts = new CompletableFuture<?>[snapshot.size()];
    for (int i = 0; i < parts.length; i++) {
      Shard shard = snapshot.get(i);
      CompletableFuture<Void> part = new CompletableFuture<>();
      parts[i] = part;
      shard.loop.execute(() -> {
        shard.rooms.forEach((room, members) -> sizes.merge(room, members.size(), Integer::sum));
        part.complete(null);
      });
    }
    return CompletableFuture.allOf(parts).thenApply(v -> Map.copyOf(sizes));
  }
}
