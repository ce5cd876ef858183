package dev.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.chat.FakeUpstream;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real headless Chromium (the system's, driven by {@code playwright-core}) against the standalone
 * server: each test starts a server and runs one script of {@code interop/browser/} with
 * {@code node --test}; the script's assertions decide.
 */
class BrowserInteropTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

  private SwitchboardApp app;

  @BeforeAll
  static void requireBrowser() {
    NodeRunner.ensureBrowser();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void eventSourceReceivesPublishesAndResumesAfterReconnecting() {
    run("sse.test.mjs", "allowed-origins", "*");
  }

  @Test
  void eventSourceGetsAGapNoticeWhenHistoryIsTooShort() {
    run("sse-gap.test.mjs", "history-max-length", "3");
  }

  @Test
  void demoAppChatTabChatsPresenceTypingAndOfflineQueue() {
    run("demo.test.mjs", screenshots());
  }

  @Test
  void demoAppDocLlmAndNotificationTabsWorkAcrossTwoPages() {
    run("demo-tabs.test.mjs", screenshots());
  }

  @Test
  void demoAppLlmTabStreamsAConfiguredModelAndShowsItsErrors() throws IOException {
    try (FakeUpstream upstream = new FakeUpstream()) {
      // The first question is answered in chunks, the next ones refused as a bad API key would be.
      AtomicInteger asked = new AtomicInteger();
      FakeUpstream.Script answer = FakeUpstream.events(openAiChunk("Hello"), openAiChunk(" from the model"), "data: [DONE]\n\n");
      FakeUpstream.Script refusal = FakeUpstream.status(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}");
      upstream.answer((exchange, fake) -> (asked.getAndIncrement() == 0 ? answer : refusal).play(exchange, fake));
      run("demo-llm.test.mjs", screenshots(),
          "llm-provider", "openai", "llm-base-url", upstream.url(), "llm-api-key", "test-key");
    }
  }

  private static String openAiChunk(String text) {
    return "data: {\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + text + "\"},\"finish_reason\":null}]}\n\n";
  }

  @Test
  void demoAppLogsInWithAPastedTokenWhenAuthenticationIsOn() {
    String secret = "a-test-secret-of-at-least-32-bytes-for-hs256";
    run("demo-auth.test.mjs", Map.of("JWT_SECRET", secret), "jwt-secret", secret);
  }

  @Test
  void demoAppCallTabConnectsTabsByVideo() {
    run("demo-call.test.mjs", screenshots(), "call-mesh-limit", "3",
        "sfu-api-key", "demo-call-key", "sfu-api-secret", "a-demo-call-sfu-api-secret-of-at-least-32-bytes");
  }

  @Test
  void pagesLoadTheBrowserClientFromTheSocketIoPath() {
    run("client-bundle.test.mjs");
  }

  @Test
  void chromiumNegotiatesPermessageDeflateWithACompressingServer() {
    run("compression.test.mjs", "ws-compression", "true");
  }

  @Test
  void msgpackClientsInChromiumAndNodeTalkThroughAMsgpackServer() {
    run("msgpack.test.mjs", "parser", "msgpack");
  }

  /** Where the demo scripts save the screenshots they check. */
  private static Map<String, String> screenshots() {
    return Map.of("SCREENSHOT_DIR", Path.of("target", "screenshots").toAbsolutePath().toString());
  }

  private void run(String script, String... settings) {
    run(script, Map.of(), settings);
  }

  private void run(String script, Map<String, String> environment, String... settings) {
    ConfigValues values = new ConfigValues().set("port", "0", "test").set("host", "127.0.0.1", "test");
    for (int i = 0; i < settings.length; i += 2) {
      values.set(settings[i], settings[i + 1], "test");
    }
    app = SwitchboardApp.start(ServerConfig.from(values));
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port());
    NodeRunner.Result result = NodeRunner.runTest("browser/" + script, env, SCRIPT_TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test %s failed; its output:%n%s", script, result.outputText())
        .isZero();
  }
}
