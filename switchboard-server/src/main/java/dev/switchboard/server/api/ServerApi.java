package dev.switchboard.server.api;

import dev.switchboard.http.HttpServer;
import dev.switchboard.server.messages.Dedupe;
import dev.switchboard.socketio.SocketIoServer;
import java.util.Optional;
import java.util.Set;

/**
 * The server API: a backend's HTTP JSON access to rooms, users and sockets on every node,
 * {@code POST /api/v1/server/<operation>} with an API key, described by the OpenAPI document at
 * {@code /api/v1/openapi.json}. Operations: {@code publish}, {@code broadcast}, {@code batch},
 * {@code disconnect}, {@code join}, {@code leave}, {@code presence}, {@code presence_stats},
 * {@code history}, {@code history_remove}, {@code rooms}, {@code info}.
 */
public final class ServerApi {
  /** Where the operations are served: {@code POST /api/v1/server/<operation>}. */
  public static final String PREFIX = "/api/v1/server/";
  /** Where the OpenAPI document is served. */
  public static final String OPENAPI_PATH = "/api/v1/openapi.json";
  /** Largest request body, in bytes; larger ones are answered 413 BODY_TOO_LARGE. */
  public static final int MAX_BODY_BYTES = 512 * 1024;

  private final ServerApiRoute route;
  private final OpenApiRoute openApi = new OpenApiRoute();

  private ServerApi(ServerApiRoute route) {
    this.route = route;
  }

  /**
   * The server API of {@code io}, opened by {@code keys} (disabled without any), remembering message
   * ids in {@code dedupe} (the one {@code room:publish} uses), refusing the event names
   * {@code reserved}; {@code nodeId} names this node in {@code info}. Every node answers the
   * others' {@code rooms} and {@code info} questions, whether its own API is enabled or not.
   */
  public static ServerApi create(SocketIoServer io, ApiKeys keys, Dedupe dedupe, Set<String> reserved, String nodeId,
      String version, Optional<RedisPublishChannel> channel) {
    NodeReports reports = new NodeReports(io, nodeId, System.currentTimeMillis());
    reports.listen();
    Operations operations = new Operations(new PublishOperations(io, dedupe, reserved), new MembershipOperations(io),
        new RoomOperations(io, reports), reports, version, channel);
    return new ServerApi(new ServerApiRoute(keys, operations));
  }

  /** Mounts the operations and the OpenAPI document on {@code http}. */
  public HttpServer.Builder mountOn(HttpServer.Builder http) {
    return http.route(PREFIX.substring(0, PREFIX.length() - 1), route).route(OPENAPI_PATH, openApi);
  }
}
