package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.ClientRecorder.Received;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcasts kept in a room's history and in the recovery log, published at once from both event
 * loops and from a thread of the application, reach every member in the order of their recovery
 * offsets and of their history positions: the order a client's last offset stands for when it
 * recovers, and the order a history read gives. Both are fixed under one lock while deliveries
 * start after it, so what the lock fixes is what the loops deliver.
 */
class KeptBroadcastOrderTest {
  private static final String ROOM = "kept";
  private static final int CLIENTS = 4;
  private static final int PER_PUBLISHER = 300;
  private static final int TOTAL = (CLIENTS + 1) * PER_PUBLISHER;

  private TestServer server;
  private JavaClients clients;
  private final List<ClientRecorder> members = new ArrayList<>();

  @BeforeEach
  void start() {
    Set<String> loops = ConcurrentHashMap.newKeySet();
    SocketIoOptions options = SocketIoOptions.builder()
        .history(List.of(new HistoryRule(ROOM, TOTAL, Duration.ofMinutes(2))))
        .connectionStateRecovery(ConnectionStateRecovery.DEFAULTS)
        .build();
    server = TestServer.start(options, io -> io.onConnection(socket -> {
      loops.add(Thread.currentThread().getName());
      socket.join(ROOM);
      socket.on("publish", event -> {
        String from = event.args().get(0).asText();
        for (int i = 0; i < PER_PUBLISHER; i++) {
          io.to(ROOM).emit("m", from, i);
        }
      });
    }));
    clients = new JavaClients(server.url());
    for (int i = 0; i < CLIENTS; i++) {
      ClientRecorder member = clients.recorded("/", Mode.WEBSOCKET, Map.of()).connect();
      member.awaitConnect();
      members.add(member);
    }
    assertThat(loops).as("the members are served by both event loops").hasSize(2);
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyMemberReceivesKeptBroadcastsInOffsetAndHistoryOrder() {
    for (int c = 0; c < CLIENTS; c++) {
      members.get(c).socket().emit("publish", "c" + c);
    }
    for (int i = 0; i < PER_PUBLISHER; i++) {
      server.io().to(ROOM).emit("m", "app", i);
    }

    List<List<String>> receivedByMember = new ArrayList<>();
    for (ClientRecorder member : members) {
      List<String> received = new ArrayList<>(TOTAL);
      long lastSeq = 0;
      Map<String, Integer> nextFrom = new HashMap<>();
      for (int n = 0; n < TOTAL; n++) {
        Received message = member.awaitEvent("m");
        String from = message.text(0);
        int i = message.integer(1);
        assertThat(i).as("publisher %s's own order", from).isEqualTo(nextFrom.getOrDefault(from, 0));
        nextFrom.put(from, i + 1);
        String offset = message.text(2);
        long seq = Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1));
        assertThat(seq).as("offsets rise in the order received (message %d)", n).isGreaterThan(lastSeq);
        lastSeq = seq;
        received.add(from + "/" + i);
      }
      receivedByMember.add(received);
    }
    List<String> historyOrder = server.io().history(ROOM, TOTAL).join().entries().stream()
        .map(KeptBroadcastOrderTest::key).toList();
    assertThat(historyOrder).hasSize(TOTAL);
    for (List<String> received : receivedByMember) {
      assertThat(received).as("received in history order").isEqualTo(historyOrder);
    }
  }

  /** The publisher and its count, as a member's message names them. */
  private static String key(HistoryEntry entry) {
    return entry.arguments().get(0).asText() + "/" + entry.arguments().get(1).asInt();
  }
}
