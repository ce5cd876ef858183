package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that drops its connection and recovers, {@value #CYCLES} times, while broadcasts to its
 * room are published from both event loops and from a thread of the application, and while the
 * server emits to it alone: across every recovery it gets each message exactly once, each
 * publisher's in order, with offsets that only rise. Each recovery reads what the client missed
 * while broadcasts concerning other loops take their offsets at once: a broadcast that took its
 * offset before the read and was kept after it would be lost, one delivered both live and replayed
 * would come twice. Each drop resets the TCP connection with packets still on their way to the
 * client.
 */
class RecoveryRaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CYCLES = 200;
  private static final int PUBLISHERS = 4;
  private static final int BURST = 10;
  /** What the recovering client gets each cycle: a burst from each publisher and the application, and one to it alone. */
  private static final int PER_CYCLE = BURST * (PUBLISHERS + 1) + 1;

  private TestServer server;
  private JavaClients clients;
  private final ExecutorService application = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    application.shutdownNow();
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aClientRecoveringOverAndOverGetsEveryMessageOnceAndInOrder() throws Exception {
    Set<String> publisherLoops = ConcurrentHashMap.newKeySet();
    server = TestServer.start(SocketIoOptions.builder()
        .connectionStateRecovery(new ConnectionStateRecovery(Duration.ofMinutes(1), true, 64 << 20))
        .build(), io -> io.onConnection(socket -> {
          if (socket.handshake().auth().path("publisher").asBoolean()) {
            publisherLoops.add(Thread.currentThread().getName());
          } else if (!socket.recovered()) {
            socket.join("r");
          }
          socket.on("publish", event -> {
            String from = event.args().text(0);
            int first = event.args().get(1).asInt();
            for (int i = first; i < first + BURST; i++) {
              io.to("r").emit("m", from, i);
            }
          });
          socket.on("direct", event -> {
            socket.emit("d", event.args().get(0).asInt());
            event.ack("emitted");
          });
        }));
    clients = new JavaClients(server.url());
    List<ClientRecorder> publishers = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      io.socket.client.IO.Options options = JavaClients.options(Mode.WEBSOCKET);
      options.auth = Map.of("publisher", "true");
      ClientRecorder publisher = clients.record(clients.socket("/", options)).connect();
      publisher.awaitConnect();
      publishers.add(publisher);
    }
    assertThat(publisherLoops).as("publishers on both event loops").hasSize(2);

    Received received = new Received();
    Random random = new Random(7);
    WsClient ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket");
    assertThat(ws.nextText()).startsWith("0");
    ws.send("40");
    JsonNode connected = JSON.readTree(ws.nextText().substring(2));
    String sid = connected.get("sid").textValue();
    String pid = connected.get("pid").textValue();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      int first = cycle * BURST;
      for (int p = 0; p < PUBLISHERS; p++) {
        publishers.get(p).socket().emit("publish", "c" + p, first);
      }
      application.execute(() -> {
        for (int i = first; i < first + BURST; i++) {
          server.io().to("r").emit("m", "app", i);
        }
      });
      // Acknowledged, so that the server has it: an event still on its way when the connection
      // drops is lost with it, as in any Socket.IO server.
      ws.send("42" + (cycle + 1) + "[\"direct\"," + cycle + "]");
      while (received.lastAck < cycle + 1) {
        received.take(ws.nextText(), ws);
      }
      // Read part of what is coming, then drop the connection with the rest on its way.
      int sent = (cycle + 1) * PER_CYCLE;
      int reading = Math.min(random.nextInt(BURST * 2) + (received.lastOffset == null ? 1 : 0), sent - received.count);
      for (int n = 0; n < reading; n++) {
        received.take(ws.nextText(), ws);
      }
      ws.close();
      await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
          .until(() -> !server.io().sockets().containsKey(sid));

      ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket");
      assertThat(ws.nextText()).startsWith("0");
      ws.send("40" + JSON.writeValueAsString(Map.of("pid", pid, "offset", received.lastOffset)));
      String answer = ws.nextText();
      assertThat(JSON.readTree(answer.substring(2)).path("sid").textValue()).as("cycle %d recovered: %s", cycle, answer)
          .isEqualTo(sid);
    }
    while (received.count < CYCLES * PER_CYCLE) {
      received.take(ws.nextText(), ws);
    }
    ws.close();

    for (int p = 0; p < PUBLISHERS; p++) {
      assertThat(received.next.get("c" + p)).isEqualTo(CYCLES * BURST);
    }
    assertThat(received.next.get("app")).isEqualTo(CYCLES * BURST);
    assertThat(received.next.get("direct")).isEqualTo(CYCLES);
  }

  /** What the recovering client got, checked as it comes. */
  private static final class Received {
    final Map<String, Integer> next = new HashMap<>();
    String lastOffset;
    long lastSeq;
    int count;
    long lastAck;

    void take(String text, WsClient ws) throws Exception {
      if (text.equals("2")) {
        ws.send("3");
        return;
      }
      if (text.startsWith("43")) {
        lastAck = Long.parseLong(text.substring(2, text.indexOf('[')));
        return;
      }
      assertThat(text).startsWith("42");
      JsonNode packet = JSON.readTree(text.substring(2));
      String from;
      int i;
      if (packet.get(0).asText().equals("m")) {
        from = packet.get(1).asText();
        i = packet.get(2).asInt();
      } else {
        from = "direct";
        i = packet.get(1).asInt();
      }
      String offset = packet.get(packet.size() - 1).asText();
      long seq = Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1));
      assertThat(seq).as("offsets rise (%s after %s)", offset, lastOffset).isGreaterThan(lastSeq);
      assertThat(i).as("%s's next message", from).isEqualTo(next.getOrDefault(from, 0));
      next.put(from, i + 1);
      lastSeq = seq;
      lastOffset = offset;
      count++;
    }
  }
}
