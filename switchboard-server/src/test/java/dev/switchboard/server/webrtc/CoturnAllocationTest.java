package dev.switchboard.server.webrtc;

import static dev.switchboard.server.webrtc.CallHttp.bearer;
import static dev.switchboard.server.webrtc.CallHttp.get;
import static dev.switchboard.server.webrtc.CallHttp.send;
import static dev.switchboard.server.webrtc.CallHttp.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.webrtc.CallHttp.Answer;
import dev.switchboard.testkit.turn.TurnServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Credentials from {@code GET /api/v1/turn-credentials} against a real coturn started with
 * {@code use-auth-secret} and two {@code static-auth-secret}s: {@code turnutils_uclient}
 * allocates relays with them; expired ones and ones signed with a secret coturn does not know are
 * refused by coturn itself (401).
 */
@Timeout(120)
class CoturnAllocationTest {
  private static final String CURRENT = "current-turn-secret";
  private static final String PREVIOUS = "previous-turn-secret";
  private static TurnServerProcess turn;

  private SwitchboardApp app;

  @BeforeAll
  static void startTurn() throws Exception {
    turn = TurnServerProcess.start(CURRENT, PREVIOUS);
  }

  @AfterAll
  static void stopTurn() {
    turn.close();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void credentialsFromTheEndpointAllocateARelay() throws Exception {
    JsonNode server = credentials(CURRENT + "," + PREVIOUS, "ada", UnaryOperator.identity());
    String username = server.get("username").asText();
    TurnServerProcess.ClientRun run = turn.allocate(username, server.get("credential").asText());
    assertThat(run.succeeded()).as("turnutils_uclient:\n%s", run.output()).isTrue();
    assertThat(turn.allocations(username)).as("coturn's log:\n%s", String.join("\n", turn.log())).isPositive();
    assertThat(turn.unauthorized(username)).isZero();
  }

  @Test
  void credentialsSignedWithTheSecondSecretStillAllocateDuringARotation() throws Exception {
    JsonNode server = credentials(PREVIOUS, "bob", UnaryOperator.identity());
    TurnServerProcess.ClientRun run = turn.allocate(server.get("username").asText(), server.get("credential").asText());
    assertThat(run.succeeded()).as("turnutils_uclient:\n%s", run.output()).isTrue();
    assertThat(turn.allocations(server.get("username").asText())).isPositive();
  }

  @Test
  void expiredCredentialsAreRefusedByCoturn() throws Exception {
    Clock twoHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
    JsonNode server = credentials(CURRENT, "carol", config -> config.withTurn(config.turn().withClock(twoHoursAgo)));
    String username = server.get("username").asText();
    assertThat(Long.parseLong(username.split(":")[0])).isLessThan(Instant.now().getEpochSecond());
    TurnServerProcess.ClientRun run = turn.allocate(username, server.get("credential").asText());
    assertThat(run.succeeded()).as("turnutils_uclient:\n%s", run.output()).isFalse();
    assertThat(turn.unauthorized(username)).as("coturn's log:\n%s", String.join("\n", turn.log())).isPositive();
    assertThat(turn.allocations(username)).isZero();
  }

  @Test
  void credentialsSignedWithASecretCoturnDoesNotKnowAreRefused() throws Exception {
    JsonNode server = credentials("a-secret-coturn-never-heard-of", "dave", UnaryOperator.identity());
    String username = server.get("username").asText();
    TurnServerProcess.ClientRun run = turn.allocate(username, server.get("credential").asText());
    assertThat(run.succeeded()).as("turnutils_uclient:\n%s", run.output()).isFalse();
    assertThat(turn.unauthorized(username)).isPositive();
    assertThat(turn.allocations(username)).isZero();
  }

  /** Starts a server signing with {@code secrets} and answers the TURN entry of {@code user}'s ICE servers. */
  private JsonNode credentials(String secrets, String user, UnaryOperator<ServerConfig> adjust) {
    ServerConfig config = ServerConfig.from(TestApps.values(Map.of("demo", "false", "jwt-secret", CallHttp.SECRET,
        "turn-secret", secrets, "turn-urls", String.join(",", turn.turnUrls()) + "," + turn.stunUrl())));
    app = SwitchboardApp.start(adjust.apply(config));
    Answer answer = send(bearer(get(app.port(), "/api/v1/turn-credentials"), token(user)));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    JsonNode server = answer.body().get(0);
    assertThat(server.get("urls").toString()).contains(turn.turnUrls().get(0));
    return server;
  }
}
