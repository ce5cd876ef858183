package dev.switchboard.webrtc.internal;

import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.webrtc.Callers;
import dev.switchboard.webrtc.IceServer;
import dev.switchboard.webrtc.TurnCredential;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;

/**
 * {@code GET /api/v1/turn-credentials}: the caller's TURN credentials, as the array of ICE
 * servers a browser spreads into {@code RTCPeerConnection({iceServers})}, or with
 * {@code ?format=rest} in the TURN REST API draft's shape.
 */
public final class TurnRoute implements HttpRoute {
  private final CredentialHttp http;
  private final Callers callers;
  private final CredentialDesk desk;

  public TurnRoute(String path, CorsOptions cors, Callers callers, CredentialDesk desk) {
    this.http = new CredentialHttp(path, HttpMethod.GET, cors);
    this.callers = callers;
    this.desk = desk;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!http.admits(exchange)) {
      return;
    }
    if (!desk.turnConfigured()) {
      http.refuse(exchange, CredentialDesk.turnNotConfigured());
      return;
    }
    Optional<String> format = exchange.queryParam("format");
    if (format.isPresent() && !format.get().equals("rest") && !format.get().equals("ice")) {
      http.refuse(exchange, 400, "INVALID_REQUEST", "format is ice (the default) or rest");
      return;
    }
    boolean rest = format.filter("rest"::equals).isPresent();
    callers.fromRequest(exchange).whenComplete((user, error) -> EventLoops.runOn(exchange.channel().eventLoop(), () -> {
      if (error != null) {
        http.refuse(exchange, error);
        return;
      }
      switch (desk.turn(user)) {
        case CredentialDesk.Refused<TurnCredential> refused -> http.refuse(exchange, refused);
        case CredentialDesk.Issued<TurnCredential> issued -> http.answer(exchange, rest ? issued.value().toRestApi()
            : issued.value().iceServers().stream().map(IceServer::toJson).toList());
      }
    }));
  }
}
