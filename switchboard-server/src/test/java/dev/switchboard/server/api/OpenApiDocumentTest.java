package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.NodeRunner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI 3.1 document of the server API, checked by a real validator
 * ({@code @seriousme/openapi-schema-validator}) and against the server's answers (Ajv), from
 * {@code interop/standalone/openapi.test.mjs}.
 */
class OpenApiDocumentTest {
  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @Test
  void theDocumentIsValidAndEveryRouteAnswersAsDocumented() {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "jwt-secret", ApiTestClients.SECRET,
        "api-key", ApiTestClients.KEY))) {
      NodeRunner.Result result = NodeRunner.runTest("standalone/openapi.test.mjs", Map.of(
          "SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(),
          "SWITCHBOARD_JWT_SECRET", ApiTestClients.SECRET,
          "SWITCHBOARD_API_KEY", ApiTestClients.KEY), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test openapi.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }
}
