package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Handlers on virtual threads: they block (sleep, wait on latches) as JDBC or HTTP calls would,
 * a socket's events still reach them one at a time in the order sent, different sockets' run at
 * the same time, middlewares and ack waits may block too, and a socket whose handlers fall a full
 * backlog behind is cut, with a log line, while the server goes on.
 */
class HandlerThreadsTest {
  private TestServer server;
  private JavaClients clients;

  @AfterEach
  void tearDown() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(SocketIoOptions options, Consumer<SocketIoServer> setup) {
    server = TestServer.start(options, setup);
    clients = new JavaClients(server.url());
  }

  private ClientRecorder client(Map<String, String> auth) {
    ClientRecorder client = clients.recorded("/", Mode.WEBSOCKET, auth).connect();
    client.awaitConnect();
    return client;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean waitFor(CountDownLatch latch) {
    try {
      return latch.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void aSocketsEventsReachItsBlockingHandlersOneAtATimeInTheOrderSent() {
    int sockets = 4;
    int events = 300;
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger onLoop = new AtomicInteger();
    start(SocketIoOptions.builder().virtualThreadHandlers().build(), io -> io.onConnection(socket -> {
      List<Integer> mine = new ArrayList<>();
      seen.put(socket.id(), mine);
      AtomicBoolean busy = new AtomicBoolean();
      socket.on("n", event -> {
        if (!busy.compareAndSet(false, true)) {
          overlaps.incrementAndGet();
        }
        if (!Thread.currentThread().isVirtual()) {
          onLoop.incrementAndGet();
        }
        // Blocks at random, as a handler waiting on a database would.
        int pause = ThreadLocalRandom.current().nextInt(4);
        if (pause > 0) {
          sleep(pause);
        } else {
          Thread.yield();
        }
        mine.add(event.arg(0, Integer.class));
        busy.set(false);
      });
      socket.on("done", event -> event.ack(mine.size()));
    }));
    List<ClientRecorder> connected = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      connected.add(client(Map.of()));
    }
    for (int n = 0; n < events; n++) {
      for (ClientRecorder client : connected) {
        client.socket().emit("n", n);
      }
    }
    for (ClientRecorder client : connected) {
      client.emitWithAck("done", "done");
    }
    for (ClientRecorder client : connected) {
      assertThat(client.awaitAck("done").arg(0)).as("every event handled before the last").isEqualTo(events);
    }
    List<Integer> expected = java.util.stream.IntStream.range(0, events).boxed().toList();
    assertThat(seen).hasSize(sockets);
    seen.values().forEach(order -> assertThat(order).isEqualTo(expected));
    assertThat(overlaps).as("handlers of one socket running at once").hasValue(0);
    assertThat(onLoop).as("handlers run on virtual threads").hasValue(0);
  }

  @Test
  void differentSocketsBlockingHandlersRunAtTheSameTime() {
    CountDownLatch both = new CountDownLatch(2);
    start(SocketIoOptions.builder().virtualThreadHandlers().build(), io -> io.onConnection(socket ->
        socket.on("meet", event -> {
          both.countDown();
          // Each handler waits for the other's: only true when they overlap.
          event.ack(waitFor(both));
        })));
    ClientRecorder first = client(Map.of());
    ClientRecorder second = client(Map.of());
    first.emitWithAck("meet", "meet");
    second.emitWithAck("meet", "meet");
    assertThat(first.awaitAck("meet").arg(0)).isEqualTo(true);
    assertThat(second.awaitAck("meet").arg(0)).isEqualTo(true);
  }

  @Test
  void aSocketWhoseHandlersFallAFullBacklogBehindIsDisconnectedAndTheServerGoesOn() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger("dev.switchboard.socketio.internal.RealSocket");
    logger.addAppender(logs);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> why = new CompletableFuture<>();
    AtomicInteger handled = new AtomicInteger();
    try {
      start(SocketIoOptions.builder().virtualThreadHandlers().handlerBacklog(8).build(), io -> io.onConnection(socket -> {
        socket.on("stuck", event -> {
          waitFor(release);
          handled.incrementAndGet();
        });
        socket.on("ping", event -> event.ack("pong"));
        socket.onDisconnect((reason, description) -> why.complete(reason + ": " + description));
      }));
      ClientRecorder flooding = client(Map.of());
      for (int i = 0; i < 20; i++) {
        flooding.socket().emit("stuck", i);
      }
      flooding.awaitDisconnect("io server disconnect");
      await().atMost(Await.TIMEOUT).until(() -> !logs.list.isEmpty());
      assertThat(logs.list.get(0).getFormattedMessage()).contains("handler backlog full").contains("\"stuck\" dropped");

      ClientRecorder other = client(Map.of());
      other.emitWithAck("ping", "ping");
      assertThat(other.awaitAck("ping").arg(0)).as("the server goes on").isEqualTo("pong");

      release.countDown();
      assertThat(why.join()).isEqualTo("server namespace disconnect: handler backlog full: 8 events waiting for this socket's handlers");
      // The backlog counts the handler running too: the first event blocked, seven waited (eight
      // when the connection listener had just returned as the first event came).
      await().atMost(Await.TIMEOUT).untilAsserted(() -> assertThat(handled.get()).as("what was queued still ran").isBetween(7, 8));
    } finally {
      release.countDown();
      logger.detachAppender(logs);
    }
  }

  @Test
  void aMiddlewareThatBlocksHoldsOnlyItsOwnSocket() {
    CountDownLatch release = new CountDownLatch(1);
    start(SocketIoOptions.builder().virtualThreadHandlers().build(), io -> {
      io.use((socket, next) -> {
        String user = socket.handshake().authField("user").orElse("");
        if (user.equals("slow")) {
          // A lookup that takes its time, blocking.
          waitFor(release);
        }
        if (user.equals("banned")) {
          sleep(20);
          next.fail("not allowed");
          return;
        }
        socket.data().put("user", user);
        next.proceed();
      });
      io.onConnection(socket -> socket.on("who", event -> event.ack(socket.data().get("user"))));
    });
    ClientRecorder slow = clients.recorded("/", Mode.WEBSOCKET, Map.of("user", "slow")).connect();
    ClientRecorder fast = client(Map.of("user", "fast"));
    fast.emitWithAck("who", "who");
    assertThat(fast.awaitAck("who").arg(0)).isEqualTo("fast");
    assertThat(slow.pending()).as("still held by its middleware").isZero();
    release.countDown();
    slow.awaitConnect();
    slow.emitWithAck("who", "who");
    assertThat(slow.awaitAck("who").arg(0)).isEqualTo("slow");
    ClientRecorder banned = clients.recorded("/", Mode.WEBSOCKET, Map.of("user", "banned")).connect();
    assertThat(banned.awaitConnectError().message()).isEqualTo("not allowed");
  }

  @Test
  void aHandlerMayBlockOnTheClientsAckAndAckCallbacksRunOffTheLoop() {
    CompletableFuture<Boolean> callbackOnVirtualThread = new CompletableFuture<>();
    start(SocketIoOptions.builder().virtualThreadHandlers().build(), io -> io.onConnection(socket -> {
      socket.on("order", event -> {
        // Asks the client, and waits for its answer, right in the handler.
        Args answer = socket.emitWithAck("confirm", event.args().text(0)).join();
        event.ack("confirmed " + answer.text(0));
      });
      socket.on("later", event -> socket.emitWithAck("confirm", "later")
          .thenAccept(answer -> callbackOnVirtualThread.complete(Thread.currentThread().isVirtual())));
      socket.on("everyone", event -> event.ack(io.emitWithAck("confirm", "everyone").join().size()));
    }));
    ClientRecorder client = client(Map.of());
    client.emitWithAck("order", "order", "tea");
    ClientRecorder.Received confirm = client.awaitEvent("confirm");
    assertThat(confirm.text(0)).isEqualTo("tea");
    confirm.reply("yes");
    assertThat(client.awaitAck("order").arg(0)).isEqualTo("confirmed yes");

    client.socket().emit("later");
    client.awaitEvent("confirm").reply("ok");
    assertThat(callbackOnVirtualThread.join()).isTrue();

    client.emitWithAck("everyone", "everyone");
    client.awaitEvent("confirm").reply("here");
    assertThat(client.awaitAck("everyone").arg(0)).isEqualTo(1);
  }
}
