package dev.switchboard.server.webrtc;

import static dev.switchboard.server.webrtc.CallHttp.bearer;
import static dev.switchboard.server.webrtc.CallHttp.get;
import static dev.switchboard.server.webrtc.CallHttp.send;
import static dev.switchboard.server.webrtc.CallHttp.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.webrtc.CallHttp.Answer;
import io.socket.client.Socket;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /api/v1/turn-credentials} and {@code turn:credentials}: credentials of the caller only,
 * in coturn's shared-secret scheme, with the token taken as SSE takes it.
 */
@Timeout(60)
class TurnCredentialsEndpointTest {
  private static final String PATH = "/api/v1/turn-credentials";
  private static final String TURN_SECRET = "coturn-shared-secret";
  private static final String URLS = "stun:turn.example:3478,turn:turn.example:3478?transport=udp,turns:turn.example:5349?transport=tcp";

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
    Map<String, String> settings = new HashMap<>(Map.of("demo", "false", "jwt-secret", CallHttp.SECRET,
        "auth-cookie", "sb_token", "turn-secret", TURN_SECRET + ",older-secret", "turn-urls", URLS,
        "allowed-origins", "https://app.example"));
    settings.putAll(extra);
    app = TestApps.start(settings);
  }

  @Test
  void anAuthenticatedUserGetsIceServersSignedWithTheFirstSecret() throws Exception {
    start(Map.of());
    Instant before = Instant.now();
    Answer answer = send(bearer(get(app.port(), PATH), token("ada")));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("cache-control")).isEqualTo("no-store");
    JsonNode servers = answer.body();
    assertThat(servers.isArray()).isTrue();
    assertThat(servers).hasSize(2);
    JsonNode turn = servers.get(0);
    assertThat(turn.get("urls").toString()).isEqualTo("[\"turn:turn.example:3478?transport=udp\",\"turns:turn.example:5349?transport=tcp\"]");
    String username = turn.get("username").asText();
    assertThat(username).endsWith(":ada");
    long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
    assertThat(expiry).isBetween(before.plus(Duration.ofHours(1)).getEpochSecond() - 1, Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
    assertThat(turn.get("credential").asText()).isEqualTo(hmac(TURN_SECRET, username));
    assertThat(servers.get(1).toString()).isEqualTo("{\"urls\":[\"stun:turn.example:3478\"]}");
  }

  @Test
  void theTokenMayComeAsQueryParameterOrCookieAndRestFormatIsTheDraftsShape() throws Exception {
    start(Map.of("turn-ttl", "10m"));
    Answer byQuery = send(get(app.port(), PATH + "?format=rest&token=" + token("bob")));
    assertThat(byQuery.status()).isEqualTo(200);
    assertThat(byQuery.body().get("username").asText()).endsWith(":bob");
    assertThat(byQuery.body().get("password").asText()).isEqualTo(hmac(TURN_SECRET, byQuery.body().get("username").asText()));
    assertThat(byQuery.body().get("ttl").asLong()).isEqualTo(600);
    assertThat(byQuery.body().get("uris")).hasSize(3);
    Answer byCookie = send(get(app.port(), PATH).header("Cookie", "sb_token=" + token("carol")));
    assertThat(byCookie.status()).isEqualTo(200);
    assertThat(byCookie.body().get(0).get("username").asText()).endsWith(":carol");
    assertThat(send(get(app.port(), PATH + "?format=xml&token=" + token("bob"))).body().get("code").asText()).isEqualTo("INVALID_REQUEST");
  }

  @Test
  void noValidUserGetsNoCredentials() {
    start(Map.of());
    Answer none = send(get(app.port(), PATH));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().get("code").asText()).isEqualTo("AUTH_REQUIRED");
    Answer expired = send(bearer(get(app.port(), PATH), token("ada", Map.of(), Instant.now().minusSeconds(60))));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.body().get("code").asText()).isEqualTo("TOKEN_EXPIRED");
    Answer forged = send(bearer(get(app.port(), PATH), token("ada") + "x"));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.body().get("code").asText()).isEqualTo("TOKEN_INVALID");
    assertThat(forged.body().has("username")).isFalse();
  }

  @Test
  void browsersOfOtherOriginsAreRefusedAndTheAppsOriginGetsCors() {
    start(Map.of());
    Answer app = send(bearer(get(this.app.port(), PATH), token("ada")).header("Origin", "https://app.example"));
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.header("access-control-allow-origin")).isEqualTo("https://app.example");
    assertThat(app.header("access-control-allow-credentials")).isEqualTo("true");
    Answer evil = send(bearer(get(this.app.port(), PATH), token("ada")).header("Origin", "https://evil.example"));
    assertThat(evil.status()).isEqualTo(403);
    assertThat(evil.body().get("code").asText()).isEqualTo("FORBIDDEN_ORIGIN");
    Answer preflight = send(HttpRequest.newBuilder(get(this.app.port(), PATH).build().uri())
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example")
        .header("Access-Control-Request-Headers", "authorization"));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("access-control-allow-methods")).isEqualTo("GET, OPTIONS");
    assertThat(preflight.header("access-control-allow-headers")).isEqualTo("authorization");
    Answer post = send(CallHttp.post(this.app.port(), PATH, "{}"));
    assertThat(post.status()).isEqualTo(405);
  }

  @Test
  void withoutATurnSecretTheEndpointSaysSo() throws Exception {
    start(Map.of("turn-secret", "", "turn-urls", ""));
    Answer answer = send(bearer(get(app.port(), PATH), token("ada")));
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().get("code").asText()).isEqualTo("TURN_NOT_CONFIGURED");
    Socket socket = clients.connect(token("ada"));
    JSONObject refused = StandaloneClients.call(socket, "turn:credentials", new JSONObject());
    assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("TURN_NOT_CONFIGURED");
  }

  @Test
  void aSocketAsksThroughItsAcknowledgement() throws Exception {
    start(Map.of());
    Socket socket = clients.connect(token("ada"));
    JSONObject answer = StandaloneClients.call(socket, "turn:credentials", new JSONObject());
    assertThat(answer.getBoolean("ok")).as(answer.toString()).isTrue();
    JSONObject turn = answer.getJSONArray("iceServers").getJSONObject(0);
    assertThat(turn.getString("username")).endsWith(":ada");
    assertThat(turn.getString("credential")).isEqualTo(hmac(TURN_SECRET, turn.getString("username")));
    assertThat(answer.getLong("expiresAt")).isEqualTo(Long.parseLong(turn.getString("username").split(":")[0]) * 1000);
    JSONObject rest = StandaloneClients.call(socket, "turn:credentials", new JSONObject().put("format", "rest"));
    assertThat(rest.getString("username")).endsWith(":ada");
    assertThat(rest.getLong("ttl")).isEqualTo(3600);
  }

  @Test
  void inOpenModeTheUserIsNamedByTheQuery() {
    app = TestApps.start(Map.of("demo", "false", "turn-secret", TURN_SECRET, "turn-urls", URLS));
    Answer named = send(get(app.port(), PATH + "?user=dora"));
    assertThat(named.status()).isEqualTo(200);
    assertThat(named.body().get(0).get("username").asText()).endsWith(":dora");
    Answer anonymous = send(get(app.port(), PATH));
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body().get("code").asText()).isEqualTo("AUTH_REQUIRED");
    assertThat(anonymous.body().get("message").asText()).contains("?user=");
  }

  @Test
  void badTurnSettingsStopTheServer() {
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("turn-urls", "turn:t:3478"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("turn-secret").hasMessageContaining("need a secret");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("turn-secret", "s"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("turn-urls").hasMessageContaining("turn: or turns: URL");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("turn-secret", "s", "turn-urls", "http://t"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a stun:");
    ServerConfig config = ServerConfig.from(TestApps.values(Map.of("turn-secret", "a, b", "turn-urls", "turn:t", "turn-ttl", "30m")));
    assertThat(config.turn().secrets()).containsExactly("a", "b");
    assertThat(config.turn().ttl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(ServerConfig.from(TestApps.values(Map.of())).turn().configured()).isFalse();
  }

  static String hmac(String secret, String username) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
  }
}
