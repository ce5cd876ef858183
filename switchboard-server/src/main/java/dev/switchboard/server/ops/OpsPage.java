package dev.switchboard.server.ops;

import dev.switchboard.http.HttpServer;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.admin.AdminAuth;
import dev.switchboard.server.webhooks.Webhooks;
import dev.switchboard.socketio.SocketIoServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * The built-in ops page at {@code /admin/} ({@code --admin}): what the official Socket.IO Admin UI
 * has no view of. Nodes with their health (Redis link, event-loop lag), connections, SSE streams
 * and presence by room, room history heads, the webhook queue, rate-limited events and slow
 * consumers, with live charts of connections and deliveries per second; fed over SSE with one
 * snapshot of the whole cluster every two seconds. Every node with {@code --admin} reports to the
 * page of any node.
 */
public final class OpsPage implements AutoCloseable {
  private final OpsStream stream;
  private final OpsRoute route;
  private final AdminCredentials credentials;

  private OpsPage(OpsStream stream, OpsRoute route, AdminCredentials credentials) {
    this.stream = stream;
    this.route = route;
    this.credentials = credentials;
  }

  /**
   * The page of {@code io}, node {@code nodeId}, reading the meters of {@code registry}; this
   * node answers the other nodes' pages from now on.
   */
  public static OpsPage install(AdminAuth auth, SocketIoServer io, String nodeId, Optional<RedisCluster> cluster,
      Webhooks webhooks, MeterRegistry registry) {
    ClusterSnapshots snapshots = new ClusterSnapshots(io, new NodeProbe(io, nodeId, cluster, webhooks, registry));
    snapshots.listen();
    AdminCredentials credentials = switch (auth) {
      case AdminAuth.None none -> AdminCredentials.anyone();
      case AdminAuth.Basic basic -> AdminCredentials.basic(basic.username(), basic.passwordHash());
    };
    OpsStream stream = new OpsStream(snapshots);
    return new OpsPage(stream, new OpsRoute(credentials, stream, snapshots), credentials);
  }

  /** Mounts the page at {@code /admin/}. */
  public HttpServer.Builder mountOn(HttpServer.Builder http) {
    return http.route(OpsRoute.PATH, route);
  }

  @Override
  public void close() {
    stream.close();
    credentials.close();
  }
}
