package dev.switchboard.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void usernameIsExpiryColonUserAndPasswordTheBase64HmacSha1OfIt() {
    TurnOptions options = TurnOptions.of("s3cret", "turn:127.0.0.1:3478").withClock(Clock.fixed(Instant.ofEpochSecond(1796598368), ZoneOffset.UTC));
    TurnCredential credential = TurnCredentials.create(options).mint("ada");
    assertThat(credential.username()).isEqualTo("1796601968:ada");
    // printf '%s' 1796601968:ada | openssl dgst -sha1 -hmac s3cret -binary | base64
    assertThat(credential.password()).isEqualTo("Un6t/4WE84sQmqnPtWfFa/+b4rc=");
    assertThat(credential.expiresAt()).isEqualTo(Instant.ofEpochSecond(1796601968));
  }

  @Test
  void theFirstSecretSignsAndTheTtlSetsTheExpiry() {
    TurnOptions options = TurnOptions.builder().secrets(List.of("new", "old")).urls(List.of("turn:t.example:3478"))
        .ttl(Duration.ofMinutes(5)).clock(CLOCK).build();
    TurnCredential credential = TurnCredentials.create(options).mint("bob");
    TurnCredential withNew = TurnCredentials.create(options.withSecrets(List.of("new"))).mint("bob");
    TurnCredential withOld = TurnCredentials.create(options.withSecrets(List.of("old"))).mint("bob");
    assertThat(credential.password()).isEqualTo(withNew.password()).isNotEqualTo(withOld.password());
    assertThat(credential.username()).isEqualTo(NOW.plusSeconds(300).getEpochSecond() + ":bob");
    assertThat(credential.ttl()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theDefaultTtlIsOneHour() {
    TurnCredential credential = TurnCredentials.create(TurnOptions.of("s", "turn:t:3478").withClock(CLOCK)).mint("ada");
    assertThat(credential.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(TurnOptions.DEFAULT_TTL).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void iceServersPutTurnUrlsWithTheCredentialAndStunUrlsApart() {
    TurnCredential credential = TurnCredentials.create(TurnOptions.builder().secrets(List.of("s"))
        .urls(List.of("stun:t:3478", "turn:t:3478?transport=udp", "turn:t:3478?transport=tcp", "turns:t:5349"))
        .clock(CLOCK).build()).mint("ada");
    assertThat(credential.iceServers()).containsExactly(
        new IceServer(List.of("turn:t:3478?transport=udp", "turn:t:3478?transport=tcp", "turns:t:5349"),
            Optional.of(credential.username()), Optional.of(credential.password())),
        new IceServer(List.of("stun:t:3478"), Optional.empty(), Optional.empty()));
    assertThat(credential.iceServers().get(1).toJson()).isEqualTo(Map.of("urls", List.of("stun:t:3478")));
    assertThat(credential.toRestApi()).containsEntry("username", credential.username())
        .containsEntry("password", credential.password()).containsEntry("ttl", 3600L)
        .containsEntry("uris", List.of("stun:t:3478", "turn:t:3478?transport=udp", "turn:t:3478?transport=tcp", "turns:t:5349"));
  }

  @Test
  void badOptionsAndUsersAreRefused() {
    assertThatThrownBy(() -> TurnOptions.of("s", "http://t")).hasMessageContaining("not a stun:");
    assertThatThrownBy(() -> TurnOptions.of("s", "stun:t:3478")).hasMessageContaining("at least one turn:");
    assertThatThrownBy(() -> TurnOptions.builder().urls(List.of("turn:t")).build()).hasMessageContaining("need a secret");
    assertThatThrownBy(() -> TurnOptions.of(" ", "turn:t")).hasMessageContaining("blank");
    assertThatThrownBy(() -> TurnOptions.of("s", "turn:t").withTtl(Duration.ZERO)).hasMessageContaining("ttl");
    assertThatThrownBy(() -> TurnCredentials.create(TurnOptions.NONE)).hasMessageContaining("not configured");
    TurnCredentials turn = TurnCredentials.create(TurnOptions.of("s", "turn:t"));
    assertThatThrownBy(() -> turn.mint("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> turn.mint("a\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> turn.mint("x".repeat(TurnOptions.MAX_USER_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(turn.mint("x".repeat(TurnOptions.MAX_USER_LENGTH)).username()).endsWith(":" + "x".repeat(TurnOptions.MAX_USER_LENGTH));
    assertThat(TurnOptions.NONE.configured()).isFalse();
  }
}
