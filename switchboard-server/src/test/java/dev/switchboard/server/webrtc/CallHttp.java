package dev.switchboard.server.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Tokens of the call tests' users and plain HTTP calls of the credential endpoints. */
final class CallHttp {
  /** The servers' {@code jwt-secret}. */
  static final String SECRET = "call-test-secret-of-at-least-32-bytes!!";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private CallHttp() {}

  /** A token of {@code subject} valid for an hour, with {@code claims}. */
  static String token(String subject, Map<String, Object> claims) {
    return token(subject, claims, Instant.now().plus(Duration.ofHours(1)));
  }

  static String token(String subject) {
    return token(subject, Map.of("name", subject.toUpperCase()));
  }

  static String token(String subject, Map<String, Object> claims, Instant expiry) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expiry));
    claims.forEach(builder::claim);
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
    try {
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
    return jwt.serialize();
  }

  /** A response with its body as JSON. */
  record Answer(int status, JsonNode body, HttpResponse<String> response) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static HttpRequest.Builder get(int port, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET();
  }

  static HttpRequest.Builder post(int port, String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
  }

  static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
    return request.header("Authorization", "Bearer " + token);
  }
}
