package dev.switchboard.server.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The last place of a call, wanted by two users at once on two nodes of a cluster: one gets it,
 * the other is refused CALL_FULL, every time.
 */
class CallFullRaceTest {
  private static final int ROUNDS = 300;

  @Test
  void twoUsersOnTwoNodesWantTheLastPlaceOnlyOneGetsIt() throws Exception {
    Map<String, String> settings = Map.of("demo", "false", "jwt-secret", CallClients.SECRET, "event-rate", "0",
        "user-event-rate", "0", "call-mesh-limit", "3");
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = TestApps.start(with(settings, "redis", redis.uri()));
        SwitchboardApp b = TestApps.start(with(settings, "redis", redis.uri()));
        CallClients clients = new CallClients()) {
      List<Socket> seated = List.of(clients.connect(a, "seated-1"), clients.connect(b, "seated-2"));
      Socket onA = clients.connect(a, "racer-a");
      Socket onB = clients.connect(b, "racer-b");
      int wonByA = 0;
      for (int round = 0; round < ROUNDS; round++) {
        String room = "call:race-" + round;
        for (Socket socket : seated) {
          assertThat(CallClients.request(socket, "room:join", CallClients.room(room)).join().getBoolean("ok")).isTrue();
        }
        CompletableFuture<JSONObject> fromA = CallClients.request(onA, "room:join", CallClients.room(room));
        CompletableFuture<JSONObject> fromB = CallClients.request(onB, "room:join", CallClients.room(room));
        List<JSONObject> answers = List.of(fromA.join(), fromB.join());
        List<String> outcomes = new ArrayList<>();
        for (JSONObject answer : answers) {
          outcomes.add(answer.getBoolean("ok") ? "joined" : answer.getJSONObject("error").getString("code"));
        }
        assertThat(outcomes).as("round %d: %s", round, answers).containsExactlyInAnyOrder("joined", "CALL_FULL");
        wonByA += answers.get(0).getBoolean("ok") ? 1 : 0;
        for (Socket socket : List.of(seated.get(0), seated.get(1), onA, onB)) {
          CallClients.request(socket, "room:leave", CallClients.room(room)).join();
        }
      }
      System.out.println("CALL_FULL race: node A won " + wonByA + " of " + ROUNDS);
      // Both nodes win some: the race is a real one.
      assertThat(wonByA).isBetween(1, ROUNDS - 1);
    }
  }

  private static Map<String, String> with(Map<String, String> settings, String key, String value) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put(key, value);
    return all;
  }
}
