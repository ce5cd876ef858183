package dev.switchboard.server.config;

import dev.switchboard.engineio.WebSocketCompression;
import dev.switchboard.socketio.Parser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.redis.RedisWire;
import dev.switchboard.engineio.Transport;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.webrtc.SignalingMode;
import dev.switchboard.webrtc.SignalingOptions;
import dev.switchboard.webrtc.WebRtcSignaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchNodeSocketIo() {
    ServerConfig config = ServerConfig.from(new ConfigValues());
    assertThat(config.port()).isEqualTo(3000);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.socketIo().path()).isEqualTo("/socket.io/");
    assertThat(config.socketIo().engine().pingInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(config.socketIo().engine().pingTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.socketIo().engine().maxHttpBufferSize()).isEqualTo(1_000_000);
    assertThat(config.socketIo().engine().transports()).containsExactlyInAnyOrder(Transport.POLLING, Transport.WEBSOCKET);
    assertThat(config.socketIo().engine().cors().enabled()).isFalse();
    assertThat(config.demo()).isTrue();
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverFile() throws IOException {
    Path file = dir.resolve("switchboard.properties");
    Files.writeString(file, "port=4000\nping-interval=5s\nping-timeout=7s\ntransports=websocket\n");
    ConfigValues values = new ConfigValues()
        .file(file)
        .environment(Map.of("SWITCHBOARD_PORT", "5000", "SWITCHBOARD_PING_TIMEOUT", "900ms", "UNRELATED", "x"))
        .set("port", "6000", "flag --port");
    ServerConfig config = ServerConfig.from(values);
    assertThat(config.port()).isEqualTo(6000);
    assertThat(config.socketIo().engine().pingTimeout()).isEqualTo(Duration.ofMillis(900));
    assertThat(config.socketIo().engine().pingInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.socketIo().engine().transports()).containsExactly(Transport.WEBSOCKET);
  }

  @Test
  void theBrowserClientIsServedUnlessTurnedOff() {
    assertThat(ServerConfig.from(new ConfigValues()).socketIo().serveClient()).isTrue();
    assertThat(ServerConfig.from(new ConfigValues().set("serve-client", "false", "test")).socketIo().serveClient()).isFalse();
  }

  @Test
  void webSocketCompressionIsOffUnlessTurnedOnWithNodesThreshold() {
    assertThat(ServerConfig.from(new ConfigValues()).socketIo().engine().webSocketCompression()).isEmpty();
    assertThat(ServerConfig.from(new ConfigValues().set("ws-compression", "true", "test")).socketIo().engine()
        .webSocketCompression()).contains(WebSocketCompression.defaults());
    assertThat(ServerConfig.from(new ConfigValues().set("ws-compression", "true", "test")
        .set("ws-compression-threshold", "0", "test")).socketIo().engine().webSocketCompression().orElseThrow().threshold())
        .isZero();
    assertThat(WebSocketCompression.defaults().threshold()).isEqualTo(1024);
  }

  @Test
  void theParserIsJsonUnlessMsgpackIsChosen() {
    assertThat(ServerConfig.from(new ConfigValues()).socketIo().parser()).isEqualTo(Parser.JSON);
    assertThat(ServerConfig.from(new ConfigValues().set("parser", "msgpack", "test")).socketIo().parser())
        .isEqualTo(Parser.MSGPACK);
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("parser", "cbor", "test")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("parser")
        .hasMessageContaining("json or msgpack");
  }

  @Test
  void aDurationLongerThanAYearIsRefusedNotOverflowed() {
    for (String value : List.of("9223372036854775807h", "99999999999999999999", "8761h")) {
      assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis-timeout", value, "test")))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("redis-timeout")
          .hasMessageContaining("longer than a year");
    }
    assertThat(ServerConfig.from(new ConfigValues().set("ping-interval", "8760h", "test")).socketIo().engine()
        .pingInterval()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void presenceDiffsGatherFor200msUnlessToldOtherwiseUpTo10s() {
    assertThat(ServerConfig.from(new ConfigValues()).socketIo().presenceDiffInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(ServerConfig.from(new ConfigValues().set("presence-diff-interval", "0", "test")).socketIo()
        .presenceDiffInterval()).isZero();
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("presence-diff-interval", "11s", "test")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("presence-diff-interval")
        .hasMessageContaining("at most 10s");
  }

  @Test
  void durationsAcceptUnitsAndBareMilliseconds() {
    ConfigValues values = new ConfigValues().set("ping-interval", "1500", "test").set("connect-timeout", "2m", "test");
    ServerConfig config = ServerConfig.from(values);
    assertThat(config.socketIo().engine().pingInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.socketIo().connectTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void redisTakesOneServerOrRedisClusterSeeds() {
    for (String uri : new String[] {"redis://h:6379", "rediss://h:6380", "redis-cluster://a:7000,b:7001",
        "rediss-cluster://user:pw@a:7000"}) {
      assertThat(ServerConfig.from(new ConfigValues().set("redis", uri, "test")).redis()).contains(uri);
    }
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis", "http://h:6379", "test")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis-cluster://");
  }

  @Test
  void redisCommandsTimeOutAfterTwoSecondsOrTheConfiguredTimeout() {
    assertThat(ServerConfig.from(new ConfigValues()).redisTimeout()).isEqualTo(Duration.ofSeconds(2));
    ConfigValues values = new ConfigValues().environment(Map.of("SWITCHBOARD_REDIS_TIMEOUT", "750ms"));
    assertThat(ServerConfig.from(values).redisTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis-timeout", "5ms", "test")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis-timeout");
  }

  @Test
  void nodesTalkSwitchboardsOwnWireUnlessTheNodeAdaptersIsChosen() {
    assertThat(ServerConfig.from(new ConfigValues()).redisWire()).isEqualTo(RedisWire.switchboard());
    assertThat(ServerConfig.from(new ConfigValues().set("redis-wire", "socketio", "test")).redisWire())
        .isEqualTo(RedisWire.socketIo("socket.io"));
    assertThat(ServerConfig.from(new ConfigValues().set("redis-wire", "socketio", "test")
        .set("redis-key-prefix", "chat-app", "test")).redisWire()).isEqualTo(RedisWire.socketIo("chat-app"));
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis-wire", "node", "test")))
        .hasMessageContaining("'node' is not switchboard, socketio or socketio-sharded");
    assertThat(ServerConfig.from(new ConfigValues().set("redis-wire", "socketio-sharded", "test")
        .set("redis", "redis-cluster://h:6379", "test")).redisWire())
        .isEqualTo(RedisWire.socketIoSharded("socket.io", RedisWire.SubscriptionMode.DYNAMIC));
    assertThat(ServerConfig.from(new ConfigValues().set("redis-wire", "socketio-sharded", "test")
        .set("redis-subscription-mode", "static", "test")).redisWire())
        .isEqualTo(RedisWire.socketIoSharded("socket.io", RedisWire.SubscriptionMode.STATIC));
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis-wire", "socketio-sharded", "test")
        .set("redis-subscription-mode", "dynamic-private", "test")))
        .hasMessageContaining("dynamic-private is not supported");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis-wire", "socketio", "test")
        .set("redis", "redis-cluster://h:6379", "test")))
        .hasMessageContaining("not a Redis Cluster");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("redis-key-prefix", " ", "test")))
        .hasMessageContaining("invalid redis-key-prefix");
  }

  @Test
  void signalingGoesThroughCallsOfFourUnlessConfiguredAndSignalsHaveTheirOwnRate() {
    ServerConfig defaults = ServerConfig.from(new ConfigValues());
    assertThat(defaults.signaling()).isEqualTo(SignalingOptions.DEFAULTS);
    assertThat(defaults.socketIo().limits().exempt()).isEqualTo(WebRtcSignaling.EVENTS);
    ServerConfig open = ServerConfig.from(new ConfigValues().set("webrtc-signaling", "Open", "test")
        .set("call-mesh-limit", "0", "test"));
    assertThat(open.signaling().mode()).isEqualTo(SignalingMode.OPEN);
    assertThat(open.signaling().meshLimit()).isZero();
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("webrtc-signaling", "anyone", "flag --webrtc-signaling")))
        .hasMessage("invalid webrtc-signaling (from flag --webrtc-signaling): 'anyone' is not call-rooms or open");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("call-mesh-limit", "-1", "test")))
        .hasMessageContaining("invalid call-mesh-limit");
  }

  @Test
  void callAndUserRoomsTrackPresenceEvenWithPresenceOff() {
    ServerConfig config = ServerConfig.from(new ConfigValues().set("presence", "false", "test"));
    assertThat(config.socketIo().presence()).extracting(PresenceRule::roomPattern, PresenceRule::track)
        .containsExactly(tuple("call:*", true), tuple("user:*", true), tuple("*", false));
  }

  @Test
  void badValuesSayWhichSettingAndWhereItCameFrom() {
    ConfigValues badPort = new ConfigValues().environment(Map.of("SWITCHBOARD_PORT", "70000"));
    assertThatThrownBy(() -> ServerConfig.from(badPort))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port")
        .hasMessageContaining("SWITCHBOARD_PORT")
        .hasMessageContaining("0..65535");
    ConfigValues badDuration = new ConfigValues().set("ping-timeout", "soon", "flag --ping-timeout");
    assertThatThrownBy(() -> ServerConfig.from(badDuration))
        .hasMessageContaining("ping-timeout").hasMessageContaining("flag --ping-timeout").hasMessageContaining("duration");
    ConfigValues badTransport = new ConfigValues().set("transports", "carrier-pigeon", "test");
    assertThatThrownBy(() -> ServerConfig.from(badTransport)).hasMessageContaining("unknown transport 'carrier-pigeon'");
    assertThatThrownBy(() -> new ConfigValues().set("no-such-thing", "1", "config file x"))
        .hasMessageContaining("unknown setting 'no-such-thing'");
  }

  @Test
  void corsOriginsEnableCorsWithCredentials() {
    ServerConfig config = ServerConfig.from(new ConfigValues().set("allowed-origins", "https://a.example, https://b.example", "test"));
    assertThat(config.socketIo().engine().cors().allowOriginFor("https://b.example")).contains("https://b.example");
    assertThat(config.socketIo().engine().cors().allowOriginFor("https://evil.example")).isEmpty();
    assertThat(config.socketIo().engine().cors().credentials()).isTrue();
  }

  @Test
  void everySettingHasAnEnvironmentVariableNamedAfterIt() {
    assertThat(Settings.PING_INTERVAL.environmentVariable()).isEqualTo("SWITCHBOARD_PING_INTERVAL");
    assertThat(Settings.MAX_HTTP_BUFFER_SIZE.flag()).isEqualTo("--max-http-buffer-size");
    assertThat(Settings.ALL).extracting(Setting::key).doesNotHaveDuplicates();
  }

  @Test
  void chatDefaultsToTheOfflineEchoModel() {
    LlmConfig llm = ServerConfig.from(new ConfigValues()).llm();
    assertThat(llm.provider()).isEqualTo(LlmProvider.ECHO);
    assertThat(llm.model()).isEqualTo("echo");
  }

  @Test
  void llmSettingsComeFromTheEnvironmentAndDefaultPerProvider() {
    ConfigValues values = new ConfigValues()
        .environment(Map.of("SWITCHBOARD_LLM_PROVIDER", "anthropic", "SWITCHBOARD_LLM_API_KEY", "sk-secret"));
    LlmConfig llm = ServerConfig.from(values).llm();
    assertThat(llm.provider()).isEqualTo(LlmProvider.ANTHROPIC);
    assertThat(llm.baseUrl().orElseThrow()).hasToString("https://api.anthropic.com");
    assertThat(llm.apiKey()).isEqualTo("sk-secret");
    assertThat(llm.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(llm.toString()).doesNotContain("sk-secret");

    LlmConfig local = ServerConfig.from(new ConfigValues().set("llm-provider", "OpenAI", "test")
        .set("llm-base-url", "http://localhost:11434/", "test").set("llm-api-key", "k", "test")
        .set("llm-model", "llama3.2", "test")).llm();
    assertThat(local.provider()).isEqualTo(LlmProvider.OPENAI);
    assertThat(local.baseUrl().orElseThrow()).hasToString("http://localhost:11434");
    assertThat(local.model()).isEqualTo("llama3.2");
  }

  @Test
  void badLlmSettingsSayWhatIsWrong() {
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("llm-provider", "gpt", "flag --llm-provider")))
        .hasMessageContaining("llm-provider").hasMessageContaining("'gpt' is not echo, anthropic or openai");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("llm-provider", "anthropic", "test")))
        .hasMessageContaining("llm-api-key").hasMessageContaining("SWITCHBOARD_LLM_API_KEY");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("llm-provider", "openai", "test")
        .set("llm-api-key", "k", "test").set("llm-base-url", "ftp://example.com", "test")))
        .hasMessageContaining("llm-base-url").hasMessageContaining("http");
  }

  @Test
  void theDrainTakesTenSecondsWithinThirtyUnlessToldOtherwise() {
    assertThat(ServerConfig.from(new ConfigValues()).drain().window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(ServerConfig.from(new ConfigValues()).drain().timeout()).isEqualTo(Duration.ofSeconds(30));
    ServerConfig quick = ServerConfig.from(new ConfigValues().set("drain-window", "0", "test").set("drain-timeout", "5s", "test"));
    assertThat(quick.drain().window()).isZero();
    assertThat(quick.drain().timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aDrainWindowThatDoesNotFitItsTimeoutIsRefused() {
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("drain-window", "30s", "flag --drain-window")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid drain-window (from flag --drain-window): must be shorter than drain-timeout (30s)");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("drain-timeout", "0", "test")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("drain-timeout");
  }
}
