package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.PayloadException;
import dev.switchboard.http.internal.Json;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.ServerEventListener;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-side events of one namespace (Node's {@code io.serverSideEmit}): sent to the same
 * namespace on every other node, heard there by the listeners added with {@code onServerEvent}.
 * With an acknowledgement, each node that listens answers once.
 */
final class ServerEvents {
  private static final Logger log = LoggerFactory.getLogger(ServerEvents.class);

  /** Names a server-side event may not have: the client ones, and the namespace's own. */
  static final Set<String> RESERVED = reserved();

  private final String namespace;
  private final ServerContext server;
  private final ConcurrentHashMap<String, List<ServerEventListener>> listeners = new ConcurrentHashMap<>();

  ServerEvents(String namespace, ServerContext server) {
    this.namespace = namespace;
    this.server = server;
  }

  void on(String event, ServerEventListener listener) {
    check(event);
    listeners.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(listener);
  }

  void emit(String event, Object[] args) {
    check(event);
    server.otherNodes().serverEvent(namespace, event, args);
  }

  CompletableFuture<List<Args>> emitWithAck(Duration timeout, String event, Object[] args) {
    check(event);
    return server.otherNodes().serverEventWithAck(namespace, event, args, timeout);
  }

  /** Another node's event; {@code acks} is null when that node waits for no answer. */
  void receive(ClusterServerEvent event, ClusterAcks acks) {
    List<ServerEventListener> found = listeners.get(event.event());
    if (found == null || found.isEmpty()) {
      if (acks != null) {
        acks.reached(0);
      }
      return;
    }
    Args args;
    try {
      args = Args.of(Json.decodeArray(event.argsJson(), event.attachments()));
    } catch (IOException | PayloadException e) {
      log.warn("dropped an unreadable server-side event \"{}\" in {}: {}", event.event(), namespace, e.getMessage());
      if (acks != null) {
        acks.reached(0);
      }
      return;
    }
    if (acks != null) {
      acks.reached(1);
    }
    RealServerEvent received = new RealServerEvent(event.event(), args, acks);
    for (ServerEventListener listener : found) {
      try {
        listener.onServerEvent(received);
      } catch (RuntimeException e) {
        log.warn("server-side event listener for \"{}\" in {} failed", event.event(), namespace, e);
      }
    }
  }

  private static void check(String event) {
    if (event == null || RESERVED.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
  }

  private static Set<String> reserved() {
    Set<String> names = new HashSet<>(SioDecoder.RESERVED_EVENTS);
    names.add("connection");
    names.add("new_namespace");
    return Set.copyOf(names);
  }
}
