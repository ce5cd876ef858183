package dev.switchboard.server.webrtc;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.webrtc.CallHttp.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import io.socket.client.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recording consent with three (and four) participants of a call room: recording, and tokens with
 * the recording grant, wait until everyone agreed; a late joiner is asked and stops a recording
 * under way until they agree.
 */
@Timeout(60)
class RecordingConsentTest {
  private static final String ROOM = "call:standup";

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());

  /** One participant's socket and what it receives. */
  private record Participant(String user, Socket socket, BlockingQueue<Object[]> requests, BlockingQueue<Object[]> starts,
      BlockingQueue<Object[]> stops) {
    JSONObject ask(String event, Map<String, Object> payload) {
      return call(socket, event, new JSONObject(payload));
    }

    JSONObject consent(boolean recording) {
      JSONObject answer = ask("call:consent", Map.of("room", ROOM, "recording", recording));
      assertThat(answer.optBoolean("ok")).as("%s's consent: %s", user, answer).isTrue();
      return answer;
    }
  }

  @BeforeEach
  void start() {
    app = TestApps.start(Map.of("demo", "false", "jwt-secret", CallHttp.SECRET, "event-rate", "0", "user-event-rate", "0",
        "sfu-api-key", SfuTokenLiveKitTest.API_KEY, "sfu-api-secret", SfuTokenLiveKitTest.API_SECRET));
  }

  @AfterEach
  void stop() {
    clients.close();
    app.close();
  }

  private Participant participant(String user) {
    Socket socket = clients.connect(token(user));
    Participant participant = new Participant(user, socket, inbox(socket, "call:consent:request"),
        inbox(socket, "call:recording:start"), inbox(socket, "call:recording:stop"));
    join(socket, ROOM);
    return participant;
  }

  @Test
  void recordingWaitsForEveryoneAndALateJoinerStopsIt() throws Exception {
    Participant ada = participant("ada");
    Participant bob = participant("bob");
    Participant carol = participant("carol");
    for (Participant p : List.of(ada, bob, carol)) {
      JSONObject request = next(p.requests());
      assertThat(request.getString("room")).isEqualTo(ROOM);
      assertThat(request.getBoolean("recording")).isFalse();
    }
    assertRefused(ada.ask("call:recording:start", Map.of("room", ROOM)), "ada", "bob", "carol");

    assertThat(ada.consent(true).getJSONArray("notConsented").toString()).isEqualTo("[\"bob\",\"carol\"]");
    JSONObject declined = bob.consent(false);
    assertThat(declined.getJSONArray("declined").toString()).isEqualTo("[\"bob\"]");
    assertRefused(ada.ask("call:recording:start", Map.of("room", ROOM)), "bob", "carol");
    assertRefused(ada.ask("sfu:token", Map.of("room", ROOM, "record", true)), "bob", "carol");

    bob.consent(true);
    assertThat(carol.consent(true).getBoolean("recordingAllowed")).isTrue();
    JSONObject recording = ada.ask("call:recording:start", Map.of("room", ROOM));
    assertThat(recording.getBoolean("ok")).as(recording.toString()).isTrue();
    for (Participant p : List.of(ada, bob, carol)) {
      assertThat(next(p.starts()).getString("by")).isEqualTo("ada");
    }
    JSONObject recorder = ada.ask("sfu:token", Map.of("room", ROOM, "record", true));
    assertThat(recorder.getBoolean("ok")).as(recorder.toString()).isTrue();
    assertThat(SignedJWT.parse(recorder.getString("token")).getJWTClaimsSet().getJSONObjectClaim("video")).containsEntry("roomRecord", true);

    Participant dave = participant("dave");
    assertThat(next(dave.requests()).getBoolean("recording")).isTrue();
    for (Participant p : List.of(ada, bob, carol)) {
      JSONObject stop = next(p.stops());
      assertThat(stop.getString("reason")).isEqualTo("CONSENT_REQUIRED");
      assertThat(stop.getJSONArray("notConsented").toString()).isEqualTo("[\"dave\"]");
    }
    JSONObject state = ada.ask("call:consent:state", Map.of("room", ROOM));
    assertThat(state.getBoolean("recording")).isFalse();
    assertThat(state.getBoolean("recordingAllowed")).isFalse();
    assertThat(state.getJSONArray("participants").toString()).isEqualTo("[\"ada\",\"bob\",\"carol\",\"dave\"]");
    assertRefused(ada.ask("call:recording:start", Map.of("room", ROOM)), "dave");
    assertRefused(ada.ask("sfu:token", Map.of("room", ROOM, "record", true)), "dave");

    dave.consent(true);
    assertThat(bob.ask("call:recording:start", Map.of("room", ROOM)).getBoolean("ok")).isTrue();
    for (Participant p : List.of(ada, bob, carol, dave)) {
      assertThat(next(p.starts()).getString("by")).isEqualTo("bob");
    }
  }

  @Test
  void withdrawingConsentStopsTheRecording() throws Exception {
    Participant ada = participant("ada");
    Participant bob = participant("bob");
    ada.consent(true);
    bob.consent(true);
    assertThat(ada.ask("call:recording:start", Map.of("room", ROOM)).getBoolean("ok")).isTrue();
    next(bob.starts());
    JSONObject withdrawn = bob.consent(false);
    assertThat(withdrawn.getBoolean("recording")).isFalse();
    JSONObject stop = next(ada.stops());
    assertThat(stop.getString("reason")).isEqualTo("CONSENT_WITHDRAWN");
    assertThat(stop.getJSONArray("notConsented").toString()).isEqualTo("[\"bob\"]");
  }

  @Test
  void stoppingTellsTheRoomWhoStoppedIt() throws Exception {
    Participant ada = participant("ada");
    Participant bob = participant("bob");
    ada.consent(true);
    bob.consent(true);
    assertThat(ada.ask("call:recording:start", Map.of("room", ROOM)).getBoolean("ok")).isTrue();
    assertThat(bob.ask("call:recording:stop", Map.of("room", ROOM)).getBoolean("ok")).isTrue();
    JSONObject stop = next(ada.stops());
    assertThat(stop.getString("by")).isEqualTo("bob");
    assertThat(stop.getString("reason")).isEqualTo("STOPPED");
  }

  @Test
  void anAnswerLastsWhileItsUserStaysInTheCall() throws Exception {
    Participant first = participant("ada");
    next(first.requests());
    first.consent(true);
    Socket secondTab = clients.connect(token("ada"));
    BlockingQueue<Object[]> secondRequests = inbox(secondTab, "call:consent:request");
    BlockingQueue<Object[]> secondStates = inbox(secondTab, "call:consent:state");
    join(secondTab, ROOM);
    assertThat(next(secondStates).getJSONArray("consented").toString()).isEqualTo("[\"ada\"]");
    assertThat(secondRequests).as("a second tab of a user in the call is not asked again").isEmpty();

    assertThat(call(first.socket(), "room:leave", new JSONObject(Map.of("room", ROOM))).getBoolean("ok")).isTrue();
    assertThat(call(secondTab, "room:leave", new JSONObject(Map.of("room", ROOM))).getBoolean("ok")).isTrue();
    join(first.socket(), ROOM);
    assertThat(next(first.requests()).getString("room")).as("back in the call, ada is asked again").isEqualTo(ROOM);
    assertThat(first.ask("call:consent:state", Map.of("room", ROOM)).getJSONArray("notConsented").toString()).isEqualTo("[\"ada\"]");
  }

  @Test
  void badRequestsGetTheirCodesAndForgedNoticesAreRefused() throws Exception {
    Participant ada = participant("ada");
    Socket outsider = clients.connect(token("eve"));
    assertCode(call(outsider, "call:consent", new JSONObject(Map.of("room", ROOM, "recording", true))), "NOT_IN_CALL");
    assertCode(call(outsider, "call:recording:start", new JSONObject(Map.of("room", ROOM))), "NOT_IN_CALL");
    assertCode(ada.ask("call:consent", Map.of("room", ROOM, "recording", "yes")), "INVALID_REQUEST");
    assertCode(ada.ask("call:consent", Map.of("room", "lobby", "recording", true)), "INVALID_REQUEST");
    assertCode(call(ada.socket(), "call:recording:start", "call:standup"), "INVALID_REQUEST");
    for (String forged : List.of("call:recording:start", "call:recording:stop", "call:consent:state", "call:consent:request")) {
      JSONObject publish = StandaloneClients.publish(outsider, "lobby", forged, new JSONObject());
      assertThat(publish.getJSONObject("error").getString("code")).as(forged).isEqualTo("INVALID_EVENT");
    }
    assertThat(ada.consent(true).getBoolean("recordingAllowed")).isTrue();
  }

  private static void assertRefused(JSONObject answer, String... notConsented) throws Exception {
    assertThat(answer.optBoolean("ok")).as(answer.toString()).isFalse();
    JSONObject error = answer.getJSONObject("error");
    assertThat(error.getString("code")).isEqualTo("CONSENT_REQUIRED");
    assertThat(error.getJSONArray("notConsented").toString()).isEqualTo(new JSONArray(List.of(notConsented)).toString());
  }

  private static void assertCode(JSONObject answer, String code) throws Exception {
    assertThat(answer.optBoolean("ok")).as(answer.toString()).isFalse();
    assertThat(answer.getJSONObject("error").getString("code")).as(answer.toString()).isEqualTo(code);
  }

  private static JSONObject next(BlockingQueue<Object[]> inbox) throws InterruptedException {
    Object[] event = inbox.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an event within 10 s").isNotNull();
    return (JSONObject) event[0];
  }
}
