package dev.switchboard.server;

import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.http.HttpServer;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.Settings;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.webrtc.CallConsent;
import dev.switchboard.webrtc.CallCredentials;
import dev.switchboard.webrtc.Callers;
import dev.switchboard.webrtc.ConsentStore;
import dev.switchboard.webrtc.JoinResult;
import dev.switchboard.webrtc.WebRtcSignaling;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TURN credentials, SFU tokens and recording consent of the standalone server: the endpoints
 * {@code GET /api/v1/turn-credentials} and {@code POST /api/v1/sfu-token}, the events
 * {@code turn:credentials}, {@code sfu:token} and the consent events, and the consent request of
 * each user arriving in a call room ({@link #askingConsent}). Consent is kept in Redis on a cluster.
 */
final class CallCredentialServices {
  private static final Logger log = LoggerFactory.getLogger(CallCredentialServices.class);

  /** Open mode: a call room anyone may be in, as {@code room:join} decides without authentication. */
  static final RoomAuthorizer OPEN_ROOMS = (principal, room, action) -> CompletableFuture.completedFuture(
      RoomRules.checkJoin(room).map(refusal -> RoomDecision.forbidden(refusal.message())).orElse(RoomDecision.ALLOW));

  private final CallConsent consent;
  private final CallCredentials credentials;

  private CallCredentialServices(CallConsent consent, CallCredentials credentials) {
    this.consent = consent;
    this.credentials = credentials;
  }

  /**
   * Installs the events on {@code io}'s main namespace, for the users {@code callers} finds; SFU
   * tokens go to users {@code rooms} lets join the call room.
   */
  static CallCredentialServices install(ServerConfig config, SocketIoServer io, Optional<RedisCluster> cluster, Callers callers,
      RoomAuthorizer rooms) {
    ConsentStore store = cluster.map(ConsentStore::redis).orElseGet(ConsentStore::inMemory);
    CallConsent consent = CallConsent.create(io.of("/"), store).install();
    RoomAuthorizer names = (principal, room, action) -> RoomRules.checkJoinAuthenticated(room)
        .map(refusal -> CompletableFuture.completedFuture(RoomDecision.forbidden(refusal.message())))
        .orElseGet(() -> rooms.authorize(principal, room, action));
    CallCredentials credentials = CallCredentials.builder(callers)
        .turn(config.turn())
        .sfu(config.sfu())
        .rooms(names)
        .consent(consent)
        .cors(config.socketIo().engine().cors())
        .build()
        .install(io.of("/"));
    if (!config.auth().enabled() && (config.turn().configured() || config.sfu().configured())) {
      log.warn("No authentication configured: TURN credentials and SFU tokens go to whoever names a user with ?user=<id>"
          + " (or auth.user.id on a socket); set {} or another JWT setting before exposing {} or {}",
          Settings.JWT_SECRET.flag(), CallCredentials.TURN_PATH, CallCredentials.SFU_PATH);
    }
    return new CallCredentialServices(consent, credentials);
  }

  /** Mounts the two endpoints. */
  HttpServer.Builder mount(HttpServer.Builder http) {
    return http.route(CallCredentials.TURN_PATH, credentials.turnRoute()).route(CallCredentials.SFU_PATH, credentials.sfuRoute());
  }

  /**
   * {@code entry}, telling consent of each socket entering a call room, so that a user arriving
   * there is asked; on the socket's event loop, as {@code room:join} enters rooms.
   */
  RoomEntry askingConsent(RoomEntry entry) {
    return (socket, room) -> {
      boolean arriving = WebRtcSignaling.isCallRoom(room) && !socket.rooms().contains(room);
      CompletableFuture<JoinResult> result = entry.enter(socket, room);
      if (arriving) {
        consent.joining(socket, room, result.thenApply(joined -> joined instanceof JoinResult.Joined)).exceptionally(error -> {
          log.warn("socket {}: the recording consent of {} could not be asked: {}", socket.id(), room, error.toString());
          return null;
        });
      }
      return result;
    };
  }
}
