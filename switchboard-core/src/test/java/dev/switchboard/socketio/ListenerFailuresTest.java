package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No silent hangs in the library: a listener that throws or whose payload does not bind still
 * answers the client's pending acknowledgement (and is logged with the socket id), an
 * acknowledgement may come from any thread, unhandled events reach their own listeners, and a
 * listener that blocks its loop is reported once per event name.
 */
class ListenerFailuresTest {
  private static final String CALLS_LOGGER = "dev.switchboard.socketio.internal.ListenerCalls";

  private TestServer server;
  private JavaClients clients;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Set<String> socketIds = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(CALLS_LOGGER)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(CALLS_LOGGER)).detachAppender(logs);
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(SocketIoOptions options, Consumer<Socket> onConnection) {
    server = TestServer.start(options, io -> io.onConnection(socket -> {
      socketIds.add(socket.id());
      onConnection.accept(socket);
    }));
    clients = new JavaClients(server.url());
  }

  private ClientRecorder client() {
    ClientRecorder client = clients.recorded("/", Mode.WEBSOCKET, Map.of()).connect();
    client.awaitConnect();
    return client;
  }

  private static JSONObject error(ClientRecorder.AckAnswer answer) throws Exception {
    JSONObject json = (JSONObject) answer.arg(0);
    assertThat(json.getBoolean("ok")).as(json.toString()).isFalse();
    return json.getJSONObject("error");
  }

  @Test
  void aListenerThatThrowsAnswersThePendingAckWithInternalAndIsLoggedWithTheSocketId() throws Exception {
    start(SocketIoOptions.defaults(), socket -> {
      socket.on("boom", event -> {
        throw new IllegalStateException("a bug in the handler");
      });
      socket.on("ping", event -> event.ack("pong"));
    });
    ClientRecorder client = client();
    client.emitWithAck("boom", "boom", 1);
    JSONObject error = error(client.awaitAck("boom"));
    assertThat(error.getString("code")).isEqualTo("INTERNAL");
    assertThat(error.getString("message")).contains("boom").doesNotContain("a bug");

    client.emitWithAck("ping", "ping");
    assertThat(client.awaitAck("ping").arg(0)).as("the connection lives on").isEqualTo("pong");
    String socketId = socketIds.iterator().next();
    assertThat(logs.list).singleElement().satisfies(line -> {
      assertThat(line.getLevel()).isEqualTo(Level.WARN);
      assertThat(line.getFormattedMessage()).contains(socketId).contains("\"boom\"");
      assertThat(line.getThrowableProxy().getMessage()).isEqualTo("a bug in the handler");
    });
  }

  @Test
  void aPayloadThatDoesNotBindAnswersInvalidArgument() throws Exception {
    start(SocketIoOptions.defaults(), socket -> socket.on("add", event -> event.ack(event.arg(0, Integer.class) + 1)));
    ClientRecorder client = client();
    client.emitWithAck("text", "add", "forty-one");
    JSONObject error = error(client.awaitAck("text"));
    assertThat(error.getString("code")).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.getString("message")).contains("argument 0 is not a Integer");
    client.emitWithAck("missing", "add");
    assertThat(error(client.awaitAck("missing")).getString("code")).isEqualTo("INVALID_ARGUMENT");
    client.emitWithAck("number", "add", 41);
    assertThat(client.awaitAck("number").arg(0)).isEqualTo(42);
    await().atMost(Await.TIMEOUT).until(() -> logs.list.size() == 2);
    assertThat(logs.list).allSatisfy(line -> assertThat(line.getFormattedMessage()).contains("\"add\"").contains("do not bind"));
  }

  @Test
  void aListenerThatAcksItselfBeforeThrowingIsAnsweredOnce() throws Exception {
    start(SocketIoOptions.defaults(), socket -> socket.on("half", event -> {
      event.ack("done");
      throw new IllegalStateException("after the answer");
    }));
    ClientRecorder client = client();
    client.emitWithAck("half", "half");
    assertThat(client.awaitAck("half").arg(0)).isEqualTo("done");
    client.assertNoMoreEvents();
  }

  @Test
  void anAckFromAnyThreadReachesTheClientEveryTime() throws Exception {
    int clientsCount = 4;
    int perClient = 150;
    ExecutorService workers = Executors.newFixedThreadPool(3);
    try {
      start(SocketIoOptions.defaults(), socket -> socket.on("square", event -> {
        int n = event.arg(0, Integer.class);
        workers.execute(() -> event.ack(n * n));
      }));
      List<ClientRecorder> all = new ArrayList<>();
      for (int c = 0; c < clientsCount; c++) {
        all.add(client());
      }
      for (int n = 0; n < perClient; n++) {
        for (ClientRecorder client : all) {
          client.emitWithAck("q" + n, "square", n);
        }
      }
      for (ClientRecorder client : all) {
        Map<String, Object> answers = new java.util.HashMap<>();
        for (int n = 0; n < perClient; n++) {
          ClientRecorder.AckAnswer answer = (ClientRecorder.AckAnswer) client.next();
          answers.put(answer.label(), answer.arg(0));
        }
        for (int n = 0; n < perClient; n++) {
          assertThat(answers.get("q" + n)).as("answer to q%d", n).isEqualTo(n * n);
        }
        client.assertNoMoreEvents();
      }
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void unhandledEventsReachTheirListenersOnly() throws Exception {
    start(SocketIoOptions.defaults(), socket -> {
      socket.on("known", event -> event.ack("known"));
      socket.onUnhandled(event -> event.ack("unknown " + event.name()));
    });
    ClientRecorder client = client();
    client.emitWithAck("known", "known");
    assertThat(client.awaitAck("known").arg(0)).isEqualTo("known");
    client.emitWithAck("other", "other");
    assertThat(client.awaitAck("other").arg(0)).isEqualTo("unknown other");
  }

  @Test
  void aListenerThatHoldsItsLoopIsReportedOncePerEventName() throws Exception {
    start(SocketIoOptions.builder().slowListenerThreshold(Duration.ofMillis(50)).build(), socket -> {
      socket.on("slow", event -> {
        block(120);
        event.ack("slow");
      });
      socket.on("also-slow", event -> {
        block(120);
        event.ack("also-slow");
      });
      socket.on("fast", event -> event.ack("fast"));
    });
    ClientRecorder client = client();
    for (String event : List.of("slow", "slow", "fast", "also-slow", "slow")) {
      client.emitWithAck(event, event);
      client.awaitAck(event);
    }
    await().atMost(Await.TIMEOUT).until(() -> logs.list.size() == 2);
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("\"slow\"").containsPattern("for (1[2-9]\\d|[2-9]\\d\\d|\\d{4,}) ms"))
        .anySatisfy(line -> assertThat(line).contains("\"also-slow\"").contains("threshold 50 ms"));
    // Fast listeners, and a repeat of a reported name, add nothing.
    client.emitWithAck("fast", "fast");
    client.awaitAck("fast");
    assertThat(logs.list).hasSize(2);
  }

  /** Keeps the calling thread busy for {@code millis}: the slow listener under test. */
  private static void block(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
