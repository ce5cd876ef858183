package dev.switchboard.server.webrtc;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.webrtc.CallHttp.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recording consent of a call whose participants are on two nodes sharing a real redis-server:
 * answers given on one node count on the other, and a joiner on one node stops a recording started
 * on the other.
 */
@Timeout(60)
class ConsentAcrossNodesTest {
  private static final String ROOM = "call:cross";

  private RedisProcess redis;
  private SwitchboardApp nodeA;
  private SwitchboardApp nodeB;
  private final StandaloneClients onA = new StandaloneClients(() -> nodeA.port());
  private final StandaloneClients onB = new StandaloneClients(() -> nodeB.port());

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    Map<String, String> settings = Map.of("demo", "false", "jwt-secret", CallHttp.SECRET, "redis", redis.uri(),
        "event-rate", "0", "user-event-rate", "0");
    nodeA = TestApps.start(settings);
    nodeB = TestApps.start(settings);
  }

  @AfterEach
  void stop() {
    onA.close();
    onB.close();
    nodeA.close();
    nodeB.close();
    redis.close();
  }

  @Test
  void answersOnOneNodeCountOnTheOtherAndAJoinerThereStopsTheRecording() throws Exception {
    Socket ada = onA.connect(token("ada"));
    BlockingQueue<Object[]> adaStops = inbox(ada, "call:recording:stop");
    join(ada, ROOM);
    Socket bob = onB.connect(token("bob"));
    BlockingQueue<Object[]> bobStarts = inbox(bob, "call:recording:start");
    BlockingQueue<Object[]> bobStates = inbox(bob, "call:consent:state");
    join(bob, ROOM);

    assertThat(consent(ada).getJSONArray("notConsented").toString()).isEqualTo("[\"bob\"]");
    JSONObject refused = call(ada, "call:recording:start", new JSONObject(Map.of("room", ROOM)));
    assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("CONSENT_REQUIRED");
    assertThat(refused.getJSONObject("error").getJSONArray("notConsented").toString()).isEqualTo("[\"bob\"]");
    assertThat(untilState(bobStates, "consented", "[\"ada\"]")).as("node A's change reaches bob on node B").isTrue();

    consent(bob);
    JSONObject started = call(ada, "call:recording:start", new JSONObject(Map.of("room", ROOM)));
    assertThat(started.getBoolean("ok")).as(started.toString()).isTrue();
    assertThat(next(bobStarts).getString("by")).isEqualTo("ada");

    Socket carol = onB.connect(token("carol"));
    BlockingQueue<Object[]> carolRequests = inbox(carol, "call:consent:request");
    join(carol, ROOM);
    assertThat(next(carolRequests).getBoolean("recording")).isTrue();
    JSONObject stop = next(adaStops);
    assertThat(stop.getString("reason")).isEqualTo("CONSENT_REQUIRED");
    assertThat(stop.getJSONArray("notConsented").toString()).isEqualTo("[\"carol\"]");
    JSONObject state = call(ada, "call:consent:state", new JSONObject(Map.of("room", ROOM)));
    assertThat(state.getJSONArray("participants").toString()).isEqualTo("[\"ada\",\"bob\",\"carol\"]");
    assertThat(state.getBoolean("recording")).isFalse();
    assertThat(state.getJSONArray("notConsented").toString()).isEqualTo("[\"carol\"]");

    consent(carol);
    assertThat(call(bob, "call:recording:start", new JSONObject(Map.of("room", ROOM))).getBoolean("ok")).isTrue();
  }

  @Test
  void aSecondTabOnTheOtherNodeKeepsTheUsersAnswer() throws Exception {
    Socket first = onA.connect(token("ada"));
    join(first, ROOM);
    consent(first);
    Socket second = onB.connect(token("ada"));
    BlockingQueue<Object[]> requests = inbox(second, "call:consent:request");
    BlockingQueue<Object[]> states = inbox(second, "call:consent:state");
    join(second, ROOM);
    JSONObject state = next(states);
    assertThat(state.getJSONArray("consented").toString()).isEqualTo("[\"ada\"]");
    assertThat(state.getBoolean("recordingAllowed")).isTrue();
    assertThat(requests).isEmpty();
  }

  /** A race (the arrival's look round the cluster against the answer): repeated to be seen. */
  @RepeatedTest(10)
  void anAnswerSentWithTheJoinIsNotForgottenByTheArrival() throws Exception {
    Socket bob = onB.connect(token("bob"));
    join(bob, ROOM);
    Socket ada = onA.connect(token("ada"));
    ada.emit("room:join", new JSONObject(Map.of("room", ROOM)));
    consent(ada);
    JSONObject state = call(bob, "call:consent:state", new JSONObject(Map.of("room", ROOM)));
    assertThat(state.getJSONArray("consented").toString()).isEqualTo("[\"ada\"]");
  }

  private static JSONObject consent(Socket socket) {
    JSONObject answer = call(socket, "call:consent", new JSONObject(Map.of("room", ROOM, "recording", true)));
    assertThat(answer.optBoolean("ok")).as(answer.toString()).isTrue();
    return answer;
  }

  /** Whether a state whose {@code field} reads {@code value} arrives within 10 s. */
  private static boolean untilState(BlockingQueue<Object[]> states, String field, String value) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Object[] event = states.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event != null && ((JSONObject) event[0]).getJSONArray(field).toString().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static JSONObject next(BlockingQueue<Object[]> inbox) throws InterruptedException {
    Object[] event = inbox.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an event within 10 s").isNotNull();
    return (JSONObject) event[0];
  }
}
