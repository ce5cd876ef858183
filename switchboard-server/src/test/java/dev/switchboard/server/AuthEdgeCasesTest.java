package dev.switchboard.server;

import static dev.switchboard.server.StandaloneClients.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.WsClient;
import io.socket.client.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Token edge cases at the handshake, and the room cap of an authenticated connection. */
@Timeout(30)
class AuthEdgeCasesTest {
  private static final String SECRET = AuthNodeClientTest.SECRET;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());

  @AfterEach
  void stop() {
    clients.close();
    if (app != null) {
      app.close();
    }
  }

  private void start(Map<String, String> extra) {
    ConfigValues values = TestApps.values(Map.of("demo", "false", "jwt-secret", SECRET, "event-rate", "0", "user-event-rate", "0"));
    extra.forEach((key, value) -> values.set(key, value, "test"));
    app = SwitchboardApp.start(ServerConfig.from(values));
  }

  private static String token(String subject, Duration lifetime) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject);
    if (lifetime != null) {
      claims.expirationTime(Date.from(Instant.now().plus(lifetime)));
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The Socket.IO CONNECT answer to {@code auth}, over a raw WebSocket. */
  private JsonNode connectAnswer(String auth) throws Exception {
    try (WsClient ws = WsClient.connect(app.port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0{");
      ws.send("40" + auth);
      String answer = ws.nextText();
      assertThat(answer).matches("4[04].*");
      JsonNode payload = JSON.readTree(answer.substring(2));
      return answer.startsWith("40") ? null : payload;
    }
  }

  @Test
  void aTokenWithoutExpiryIsRefusedByDefault() throws Exception {
    start(Map.of());
    JsonNode refusal = connectAnswer("{\"token\":\"" + token("ada", null) + "\"}");
    assertThat(refusal).as("connection refused").isNotNull();
    assertThat(refusal.path("data").path("code").asText()).isEqualTo("TOKEN_INVALID");
    assertThat(refusal.path("message").asText()).contains("exp");
    assertThat(connectAnswer("{\"token\":\"" + token("ada", Duration.ofMinutes(5)) + "\"}")).as("accepted").isNull();
  }

  @Test
  void aTokenWithoutExpiryIsAcceptedWhenAllowed() throws Exception {
    start(Map.of("jwt-require-exp", "false"));
    assertThat(connectAnswer("{\"token\":\"" + token("ada", null) + "\"}")).as("accepted").isNull();
  }

  @Test
  void aTokenThatIsNoStringIsInvalidNotMissing() throws Exception {
    start(Map.of());
    for (String auth : List.of("{\"token\":42}", "{\"token\":{\"jwt\":\"x\"}}", "{\"token\":[\"a\"]}", "{\"token\":true}")) {
      JsonNode refusal = connectAnswer(auth);
      assertThat(refusal).as(auth).isNotNull();
      assertThat(refusal.path("data").path("code").asText()).as(auth).isEqualTo("TOKEN_INVALID");
    }
    assertThat(connectAnswer("{}").path("data").path("code").asText()).isEqualTo("AUTH_REQUIRED");
    assertThat(connectAnswer("{\"token\":null}").path("data").path("code").asText()).isEqualTo("AUTH_REQUIRED");
  }

  @Test
  void aRefreshWithATokenThatIsNoStringIsInvalidNotMissing() throws Exception {
    start(Map.of());
    Socket socket = clients.connect(token("ada", Duration.ofMinutes(5)));
    JSONObject invalid = call(socket, "auth:refresh", new JSONObject().put("token", 42));
    assertThat(invalid.getJSONObject("error").getString("code")).isEqualTo("TOKEN_INVALID");
    JSONObject missing = call(socket, "auth:refresh", new JSONObject());
    assertThat(missing.getJSONObject("error").getString("code")).isEqualTo("AUTH_REQUIRED");
    assertThat(call(socket, "auth:refresh", new JSONObject().put("token", token("ada", Duration.ofMinutes(9)))).optBoolean("ok"))
        .isTrue();
  }

  @Test
  void theUserRoomDoesNotCountAgainstTheRoomCap() throws Exception {
    start(Map.of());
    Socket socket = clients.connect(token("ada", Duration.ofMinutes(5)));
    for (int i = 0; i < BuiltInEvents.MAX_ROOMS_PER_SOCKET; i++) {
      JSONObject answer = call(socket, "room:join", new JSONObject(Map.of("room", "room-" + i)));
      assertThat(answer.optBoolean("ok")).as("join %d: %s", i, answer).isTrue();
    }
    JSONObject refused = call(socket, "room:join", new JSONObject(Map.of("room", "one-too-many")));
    assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("TOO_MANY_ROOMS");
    // Joining a room it is already in, or its own user room, is no new room.
    assertThat(call(socket, "room:join", new JSONObject(Map.of("room", "room-0"))).optBoolean("ok")).isTrue();
    assertThat(call(socket, "room:join", new JSONObject(Map.of("room", "user:ada"))).optBoolean("ok")).isTrue();
  }
}
