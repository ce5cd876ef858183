package dev.switchboard.webrtc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.http.internal.Json;
import dev.switchboard.webrtc.Callers;
import dev.switchboard.webrtc.SfuToken;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;

/** {@code POST /api/v1/sfu-token {room, record?}}: the caller's SFU token for a call room, {@code {token, expiresAt}}. */
public final class SfuRoute implements HttpRoute {
  private final CredentialHttp http;
  private final Callers callers;
  private final CredentialDesk desk;

  public SfuRoute(String path, CorsOptions cors, Callers callers, CredentialDesk desk) {
    this.http = new CredentialHttp(path, HttpMethod.POST, cors);
    this.callers = callers;
    this.desk = desk;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!http.admits(exchange)) {
      return;
    }
    if (!desk.sfuConfigured()) {
      http.refuse(exchange, CredentialDesk.sfuNotConfigured());
      return;
    }
    JsonNode request;
    try {
      request = Json.parse(exchange.bodyAsString());
    } catch (IOException e) {
      http.refuse(exchange, 400, "INVALID_REQUEST", "the body is not JSON: expected {room, record?}");
      return;
    }
    callers.fromRequest(exchange)
        .thenCompose(user -> desk.sfu(user, request))
        .whenComplete((outcome, error) -> EventLoops.runOn(exchange.channel().eventLoop(), () -> {
          if (error != null) {
            http.refuse(exchange, error);
            return;
          }
          switch (outcome) {
            case CredentialDesk.Refused<SfuToken> refused -> http.refuse(exchange, refused);
            case CredentialDesk.Issued<SfuToken> issued -> http.answer(exchange, issued.value().toJson());
          }
        }));
  }
}
