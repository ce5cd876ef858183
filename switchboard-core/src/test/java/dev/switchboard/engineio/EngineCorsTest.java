package dev.switchboard.engineio;

import dev.switchboard.http.CorsOptions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.PollingClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CORS headers on polling requests, as browsers see them. */
class EngineCorsTest {
  private static final String APP = "https://app.example";
  private static final String OTHER = "https://other.example";

  private EngineTestServer server;
  private PollingClient client;

  private void start(CorsOptions cors) {
    server = EngineTestServer.start(EngineIoOptions.builder().cors(cors).build());
    client = new PollingClient(server.port(), server.path());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void a_preflight_from_an_allowed_origin_is_answered_204_with_the_cors_headers() {
    start(CorsOptions.allow(APP));

    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", APP)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type, x-token")
        .build());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(APP);
    assertThat(response.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(response.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(
        methods -> assertThat(methods).contains("GET", "POST"));
    assertThat(response.headers().firstValue("access-control-allow-headers")).hasValue("content-type, x-token");
    assertThat(response.headers().firstValue("access-control-max-age")).hasValue("3600");
    assertThat(response.headers().firstValue("vary")).hasValue("Origin");
  }

  @Test
  void a_preflight_without_requested_headers_gets_the_configured_ones() {
    start(CorsOptions.allow(APP));
    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", APP).build());
    assertThat(response.headers().firstValue("access-control-allow-headers")).hasValue("Content-Type, Authorization");
  }

  @Test
  void handshake_messages_and_errors_carry_the_headers_for_an_allowed_origin() {
    start(CorsOptions.allow(APP));

    HttpResponse<String> handshake = client.send(client.request("EIO=4&transport=polling").header("Origin", APP).build());
    assertThat(handshake.body()).startsWith("0{");
    assertAllowed(handshake, APP);
    String sid = PollingClient.parse(handshake.body().substring(1)).get("sid").asText();

    HttpResponse<String> post = client.send(client.request(PollingClient.session(sid)).header("Origin", APP)
        .POST(HttpRequest.BodyPublishers.ofString("4hi")).build());
    assertThat(post.body()).isEqualTo("ok");
    assertAllowed(post, APP);

    HttpResponse<String> poll = client.send(client.request(PollingClient.session(sid)).header("Origin", APP).build());
    assertThat(poll.body()).isEqualTo("4hi");
    assertAllowed(poll, APP);

    HttpResponse<String> error = client.send(client.request("EIO=4&transport=abc").header("Origin", APP).build());
    assertThat(error.statusCode()).isEqualTo(400);
    assertAllowed(error, APP);
  }

  @Test
  void another_origin_is_refused_without_cors_headers() {
    start(CorsOptions.allow(APP));
    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling").header("Origin", OTHER).build());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
    assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(response.headers().firstValue("access-control-allow-credentials")).isEmpty();
  }

  @Test
  void a_wildcard_answers_star_without_credentials_as_node_origin_star_does() {
    start(CorsOptions.allow("*"));
    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling").header("Origin", OTHER).build());
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(response.headers().firstValue("access-control-allow-credentials")).isEmpty();
    assertThat(response.headers().firstValue("vary")).isEmpty();
  }

  @Test
  void a_wildcard_preflight_answers_star_without_credentials() {
    start(CorsOptions.allow("*"));
    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", OTHER)
        .header("Access-Control-Request-Method", "POST").build());
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(response.headers().firstValue("access-control-allow-credentials")).isEmpty();
  }

  @Test
  void named_origins_are_allowed_with_credentials() {
    start(CorsOptions.allow(APP));
    assertThat(CorsOptions.allow(APP).credentials()).isTrue();
    assertThat(CorsOptions.allow("*").credentials()).isFalse();
  }

  @Test
  void a_wildcard_with_credentials_asked_for_reflects_the_origin() {
    start(CorsOptions.allow("*").withCredentials());
    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling").header("Origin", OTHER).build());
    assertAllowed(response, OTHER);
  }

  @Test
  void without_cors_options_no_cors_headers_are_sent() {
    start(CorsOptions.DISABLED);
    HttpResponse<String> response = client.send(client.request("EIO=4&transport=polling").header("Origin", APP).build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().map().keySet()).noneMatch(name -> name.startsWith("access-control-"));
  }

  private static void assertAllowed(HttpResponse<String> response, String origin) {
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(origin);
    assertThat(response.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(response.headers().firstValue("vary")).hasValue("Origin");
  }
}
