package dev.switchboard.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoException;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The server half of the Node client interop scripts in {@code interop/node/}. Each event a
 * script emits is handled here, and this is the only place the scripts' expectations of the
 * server are written down: change both sides together.
 *
 * <p>Namespaces:
 * <ul>
 *   <li>{@code /} and {@code /chat}: open to all;
 *   <li>{@code /private}: an asynchronous middleware wants {@code auth.token == "letmein"};
 *   <li>{@code /dyn-[a-z0-9]+}: created on demand.
 * </ul>
 * The main namespace also refuses any client whose auth carries {@code reject: {message, data}},
 * with that message and data. Every namespace answers the events below ("→" is the ack).
 *
 * <pre>
 * whoami                          → {id, nsp, connection, transport, auth, query, name}
 * echo ...args                    → ...args                     (binary values stay binary)
 * emit-back event, ...args        : the server emits event(...args) to the sender, then acks
 * ask-client {event, args, timeout} → {ok: [ack args]} | {error: code}  (server emitWithAck);
 *                                   observers also get "asked" {id, result}
 * never-ack                       : never acknowledged
 * join rooms... / leave room      → the socket's rooms, sorted
 * to-room {room, except, event, payload} : socket.to(room).except(except).emit(event, payload),
 *                                   then "fence"(payload) to the whole room, sender included
 * collect-acks {room?, event, timeout, dynamic?} → {answers: [...]} | {error, received: [...]}
 *                                   (to the room, or the namespace; with dynamic, to every child
 *                                   of the /dyn-* family)
 * volatile {count}                : count volatile "volatile"(i) to the sender, then "volatile-done"
 * fetch {room?}                   → [{id, rooms, name}] sorted by name
 * sockets-join / sockets-leave {room?, rooms} → true once done
 * disconnect-sockets {room, close} → true once done
 * disconnect-me {close}           : socket.disconnect(close)
 * drop-connections                : closes every connection of the server (clients reconnect)
 * big text                        → the text's length, or "big-received"(length) without ack
 * burst {threads, count}          : each of `threads` threads emits "burst"(thread, i, bytes) for
 *                                   i in [0, count), bytes = [thread, i % 256]; then "burst-done"
 * ticks {count, everyMs}          : a timer thread emits "tick"(i) every everyMs, then "ticks-done"
 * </pre>
 *
 * Sockets in the main namespace's room {@value #OBSERVERS} are told of every disconnection as
 * {@code "left" {id, nsp, name, reason}}, the reason being Node's text for it.
 */
public final class InteropContract {
  /** Small enough to test both sides of the limit quickly. */
  public static final int MAX_HTTP_BUFFER_SIZE = 100_000;
  /** Short, so that heartbeats run during every script and one can wait for a few of them. */
  public static final Duration PING_INTERVAL = Duration.ofMillis(300);
  public static final String OBSERVERS = "observers";
  public static final String PRIVATE_TOKEN = "letmein";

  private InteropContract() {}

  public static SocketIoOptions options() {
    return options(Parser.JSON);
  }

  /** The contract's options with the clients' packet format {@code parser}. */
  public static SocketIoOptions options(Parser parser) {
    return SocketIoOptions.builder()
        .parser(parser)
        .engine(EngineIoOptions.builder()
            .path(SocketIoOptions.DEFAULT_PATH)
            .maxHttpBufferSize(MAX_HTTP_BUFFER_SIZE)
            .pingInterval(PING_INTERVAL)
            .build())
        .build();
  }

  public static void install(SocketIoServer io) {
    io.useForAllNamespaces((socket, next) -> {
      socket.data().put("name", socket.handshake().authField("name").orElse("anonymous"));
      next.proceed();
    });
    io.use((socket, next) -> {
      JsonNode reject = socket.handshake().auth().get("reject");
      if (reject != null && reject.isObject()) {
        next.fail(reject.path("message").asText("rejected"), reject.get("data"));
      } else {
        next.proceed();
      }
    });
    io.of("/private").use((socket, next) -> CompletableFuture.runAsync(() -> {
      String token = socket.handshake().authField("token").orElse(null);
      if (token == null) {
        next.fail("unauthorized", Map.of("reason", "no token"));
      } else if (!token.equals(PRIVATE_TOKEN)) {
        next.fail("forbidden", Map.of("reason", "bad token", "status", 403));
      } else {
        next.proceed();
      }
    }));

    Namespace dynamic = io.of(Pattern.compile("/dyn-[a-z0-9]+"));
    io.on("connection", socket -> handle(io, dynamic, socket));
    io.of("/chat").on("connection", socket -> handle(io, dynamic, socket));
    io.of("/private").on("connection", socket -> handle(io, dynamic, socket));
    dynamic.on("connection", socket -> handle(io, dynamic, socket));
  }

  private static void handle(SocketIoServer io, Namespace dynamic, Socket socket) {
    Namespace nsp = socket.namespace();
    socket.onDisconnect((reason, description) -> io.to(OBSERVERS).emit("left", Map.of(
        "id", socket.id(), "nsp", nsp.name(), "name", name(socket), "reason", reason.text())));

    socket.on("whoami", event -> event.ack(Map.of(
        "id", socket.id(),
        "nsp", nsp.name(),
        "connection", socket.connectionId(),
        "transport", socket.transport().wireName(),
        "auth", socket.handshake().auth(),
        "query", socket.handshake().query(),
        "name", name(socket))));

    socket.on("echo", event -> event.ack(event.args().toArray()));

    socket.on("emit-back", event -> {
      Object[] all = event.args().toArray();
      socket.emit(event.args().text(0), java.util.Arrays.copyOfRange(all, 1, all.length));
      event.ack();
    });

    socket.on("ask-client", event -> {
      JsonNode request = event.args().get(0);
      Object[] args = toArray(request.path("args"));
      socket.timeout(Duration.ofMillis(request.path("timeout").asLong(1000)))
          .emitWithAck(request.path("event").asText(), args)
          .whenComplete((answer, error) -> {
            Map<String, Object> result = error == null ? Map.of("ok", answer.asList()) : Map.of("error", code(error));
            event.ack(result);
            io.to(OBSERVERS).emit("asked", Map.of("id", socket.id(), "result", result));
          });
    });

    socket.on("never-ack", event -> { });

    socket.on("join", event -> {
      for (JsonNode room : event.args().asList()) {
        socket.join(room.asText());
      }
      event.ack(sorted(socket.rooms()));
    });

    socket.on("leave", event -> {
      socket.leave(event.args().text(0));
      event.ack(sorted(socket.rooms()));
    });

    socket.on("to-room", event -> {
      JsonNode request = event.args().get(0);
      String room = request.path("room").asText();
      socket.to(room).except(texts(request.path("except"))).emit(request.path("event").asText(), request.get("payload"));
      nsp.to(room).emit("fence", request.get("payload"));
      event.ack();
    });

    socket.on("collect-acks", event -> {
      JsonNode request = event.args().get(0);
      BroadcastOperator scope = request.path("dynamic").asBoolean() ? dynamic : nsp;
      JsonNode room = request.get("room");
      (room == null ? scope : scope.to(room.asText()))
          .timeout(Duration.ofMillis(request.path("timeout").asLong(1000)))
          .emitWithAck(request.path("event").asText())
          .whenComplete((answers, error) -> {
            if (error == null) {
              event.ack(Map.of("answers", firstArgs(answers)));
            } else {
              Throwable cause = unwrap(error);
              List<Args> received = cause instanceof AckTimeoutException timeout ? timeout.received() : List.of();
              event.ack(Map.of("error", code(cause), "received", firstArgs(received)));
            }
          });
    });

    socket.on("volatile", event -> {
      int count = event.args().get(0).path("count").asInt();
      BroadcastOperator toSender = nsp.to(socket.id()).asVolatile();
      for (int i = 0; i < count; i++) {
        toSender.emit("volatile", i);
      }
      socket.emit("volatile-done", count);
    });

    socket.on("fetch", event -> target(nsp, event).fetchSockets().whenComplete((sockets, error) -> {
      List<Map<String, Object>> found = new ArrayList<>();
      for (RemoteSocket remote : sockets) {
        found.add(Map.of("id", remote.id(), "rooms", sorted(remote.rooms()), "name", remote.data().get("name")));
      }
      found.sort((a, b) -> String.valueOf(a.get("name")).compareTo(String.valueOf(b.get("name"))));
      event.ack(found);
    }));

    socket.on("sockets-join", event -> target(nsp, event)
        .socketsJoin(texts(event.args().get(0).path("rooms")))
        .thenRun(() -> event.ack(true)));

    socket.on("sockets-leave", event -> target(nsp, event)
        .socketsLeave(texts(event.args().get(0).path("rooms")))
        .thenRun(() -> event.ack(true)));

    socket.on("disconnect-sockets", event -> target(nsp, event)
        .disconnectSockets(event.args().get(0).path("close").asBoolean())
        .thenRun(() -> event.ack(true)));

    socket.on("disconnect-me", event -> socket.disconnect(event.args().get(0).path("close").asBoolean()));

    socket.on("drop-connections", event -> io.close());

    socket.on("burst", event -> {
      int threads = event.args().get(0).path("threads").asInt();
      int count = event.args().get(0).path("count").asInt();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CompletableFuture<?>[] emitters = new CompletableFuture<?>[threads];
      for (int t = 0; t < threads; t++) {
        int thread = t;
        emitters[t] = CompletableFuture.runAsync(() -> {
          for (int i = 0; i < count; i++) {
            socket.emit("burst", thread, i, new byte[] {(byte) thread, (byte) i});
          }
        }, pool);
      }
      CompletableFuture.allOf(emitters).whenComplete((done, error) -> {
        pool.shutdown();
        socket.emit("burst-done", error == null ? "ok" : error.toString());
      });
    });

    socket.on("ticks", event -> {
      int count = event.args().get(0).path("count").asInt();
      long everyMs = event.args().get(0).path("everyMs").asLong();
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger sent = new AtomicInteger();
      timer.scheduleAtFixedRate(() -> {
        int i = sent.getAndIncrement();
        if (i < count) {
          socket.emit("tick", i);
        } else {
          socket.emit("ticks-done", count);
          timer.shutdown();
        }
      }, 0, everyMs, TimeUnit.MILLISECONDS);
    });

    socket.on("big", event -> {
      int length = event.args().text(0).length();
      if (event.hasAck()) {
        event.ack(length);
      } else {
        socket.emit("big-received", length);
      }
    });
  }

  // ---- helpers

  private static String name(Socket socket) {
    return String.valueOf(socket.data().get("name"));
  }

  /** The sockets of {@code nsp}, or of the room named by the request's {@code room}. */
  private static BroadcastOperator target(Namespace nsp, Event event) {
    JsonNode room = event.args().get(0).get("room");
    return room == null || room.isNull() ? nsp : nsp.in(room.asText());
  }

  private static Object[] toArray(JsonNode array) {
    List<Object> values = new ArrayList<>();
    array.forEach(values::add);
    return values.toArray();
  }

  private static String[] texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values.toArray(String[]::new);
  }

  private static List<String> sorted(java.util.Set<String> rooms) {
    return List.copyOf(new TreeSet<>(rooms));
  }

  private static List<JsonNode> firstArgs(List<Args> answers) {
    List<JsonNode> values = new ArrayList<>();
    for (Args answer : answers) {
      values.add(answer.get(0));
    }
    values.sort((a, b) -> a.asText().compareTo(b.asText()));
    return values;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static String code(Throwable error) {
    Throwable cause = unwrap(error);
    return cause instanceof SocketIoException e ? e.code() : cause.getClass().getSimpleName();
  }
}
