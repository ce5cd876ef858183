package dev.switchboard.spring.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code switchboard.*} properties: the standalone server's settings of the same names
 * ({@code switchboard.ping-interval} is {@code --ping-interval}, {@code SWITCHBOARD_PING_INTERVAL}
 * and {@code ping-interval} in its config file), with Spring's relaxed binding and types. They are
 * mapped onto the standalone server's configuration model ({@link SwitchboardSettings}), so
 * defaults, validation and error messages are the standalone server's. An absent property takes
 * the standalone default.
 *
 * @param host Address to listen on. Default: 0.0.0.0.
 * @param port Port to listen on (0 picks a free one). Default: 3000.
 * @param path Where Socket.IO is served. Default: /socket.io/.
 * @param pingInterval How often the server pings each connection (e.g. 25s, 500ms). Default: 25s.
 * @param pingTimeout How long to wait for a pong before closing a connection. Default: 20s.
 * @param upgradeTimeout How long an upgrade from polling to WebSocket may take. Default: 10s.
 * @param connectTimeout How long a new connection may take to join a namespace. Default: 45s.
 * @param maxHttpBufferSize Largest message or polling request body accepted, in bytes. Default: 1000000.
 * @param transports Transports clients may use. Default: polling,websocket.
 * @param allowUpgrades Whether polling connections may upgrade to WebSocket. Default: true.
 * @param allowedOrigins Origins browsers may connect from, answered with CORS (comma-separated, * for any); requests from other origins are refused. Empty: any origin, no CORS headers.
 * @param workerThreads Event-loop threads; 0 means one per core. Default: 0.
 * @param networkTransport How the event loops talk to the kernel: epoll, io_uring (fewer system calls per fan-out; measure it on your load first) or nio; falls back to epoll, then nio, when unavailable. Default: epoll.
 * @param serveClient Serve the official browser client at {path}socket.io.js (also .min.js, .esm.min.js, .msgpack.min.js and their .map files). Default: true.
 * @param parser Packet format every client speaks: json (Socket.IO's own) or msgpack (clients with socket.io-msgpack-parser), as Node's parser option. Default: json.
 * @param wsCompression Compress WebSocket messages with permessage-deflate for clients that offer it (off, as Node's perMessageDeflate); the server keeps no compression context between messages, so a broadcast is compressed once. Default: false.
 * @param wsCompressionThreshold With ws-compression, messages of fewer bytes go out uncompressed (Node's perMessageDeflate.threshold). Default: 1024.
 * @param historyMaxLength Messages kept per room for resuming streams (0 keeps none). Default: 100.
 * @param historyTtl How long a room keeps a message for resuming streams. Default: 2m.
 * @param historyMaxBytes Bytes of messages kept per room; the oldest go first (a resume from before them reports a gap). Default: 1048576.
 * @param presence Track who is in each room (presence:list, and the Java API); call rooms and user rooms always are (WebRTC signaling reads them). Default: true.
 * @param presenceEvents Announce arrivals and departures to rooms with presence:join / presence:leave. Default: true.
 * @param connectionStateRecovery Let clients that lose their connection recover their session and missed packets (socket.io-client 4.6+). Default: true.
 * @param maxDisconnectionDuration How long a lost session can still be recovered. Default: 2m.
 * @param recoveryMaxBytes Bytes of packets kept for recovery per namespace; the oldest go first (a client that missed one of them gets a fresh session). Default: 16777216.
 * @param maxRetainedBytes Bytes this process keeps for room history and recovery together; past it the oldest message of any room or namespace goes first. Default: 67108864.
 * @param eventRate Events per second one socket may send (twice that in a burst); 0: no limit. Default: 20.
 * @param userEventRate Events per second one user may send over all connections (twice that in a burst); 0: no limit. Default: 50.
 * @param disconnectAfterRefusals Rate-limited events within 10 s that end the connection; 0: never. Default: 100.
 * @param maxConnectionsPerUser Connections one user may have open; 0: no cap. Default: 20.
 * @param maxConnections Connections this server accepts in total; 0: no cap. Default: 0.
 * @param maxConnectionsPerIp Connections one IP address may have open; 0: no cap. Default: 0.
 * @param newConnectionsPerIp New connections per second one IP address may open (twice that in a burst); 0: no cap. Default: 0.
 * @param headerTimeout How long a connection may take to send a complete request head (from its first byte, or from opening); slower ones are closed. Default: 10s.
 * @param idleTimeout How long a keep-alive HTTP connection may wait for its next request (or a stalled request body) before it is closed; not WebSocket, SSE or pending long polls. Keep it above the ping interval. Default: 60s.
 * @param maxBufferedBytes Bytes that may wait to be sent to one client before it is closed as a slow consumer. Default: 1048576.
 * @param writeDelay How long written messages may wait to be flushed (0-100ms): a busy connection's messages of that time leave in one write. Default: 0.
 * @param drainWindow On SIGTERM, the time over which connected clients are disconnected, each at its own turn, so that they reconnect to the other nodes gradually (0: all at once); /readyz answers 503 and new connections are refused from the start. Default: 10s.
 * @param drainTimeout The longest a graceful stop (SIGTERM) takes until the process exits; connections still open near its end are closed at once. Keep it above drain-window and below the grace period of your orchestrator. Default: 30s.
 * @param jwtSecret Shared secret verifying HS256 (32+ bytes), HS384 (48+) and HS512 (64+) tokens; prefer SWITCHBOARD_JWT_SECRET. Any JWT setting turns authentication on.
 * @param jwtPublicKey PEM public key (RSA or EC P-256) verifying RS256 / ES256 tokens.
 * @param jwksUrl JSON Web Key Set URL, cached and refreshed; an unknown kid triggers a (rate-limited) refetch.
 * @param jwksFile JSON Web Key Set file.
 * @param jwtIssuer Required iss claim; none accepts any.
 * @param jwtAudience Required aud claim; none accepts any.
 * @param jwtClockSkew Tolerance for exp and nbf (0 for none). Default: 60s.
 * @param jwtRequireExp Refuse tokens without an exp claim (TOKEN_INVALID); false accepts tokens that never expire. Default: true.
 * @param authCookie Cookie that may carry the token (Socket.IO handshake and SSE); none by default.
 * @param authExpiryWarning How long before a token expires the client gets auth:expiring. Default: 60s.
 * @param redis Redis shared by the nodes of a cluster (redis://host:port, or redis-cluster://host:port,host:port for a Redis Cluster): rooms, presence and per-user connection caps span every node. None: a single node.
 * @param redisTimeout How long a Redis command may take: a Redis that does not answer in time counts as down (its connections are made again, local delivery goes on, cross-node messages of the stall are dropped). Default: 2s.
 * @param redisWire How nodes talk over Redis: switchboard (its own format: shared history, recovery on any node, polling without sticky sessions) or socketio (the format of @socket.io/redis-adapter 8.x and @socket.io/redis-emitter: Node Socket.IO servers and Switchboard nodes form one cluster; history and recovery stay per node). Default: switchboard.
 * @param redisKeyPrefix With redis-wire socketio, the channel prefix of the Node adapter (its `key` option). Default: socket.io.
 * @param redisLiveSessions With redis and connection state recovery, keep each connected socket's recoverable state in Redis as it changes (batched writes), so that its client recovers on another node even when its node is killed without a word; false keeps only sockets that disconnect while their node runs. Default: true.
 * @param virtualThreads whether handlers (event, connection and disconnect listeners, middlewares) run on virtual threads, so that they may block; false runs them on the event loops. Default: true.
 */
@ConfigurationProperties("switchboard")
public record SwitchboardProperties(
    String host,
    Integer port,
    String path,
    Duration pingInterval,
    Duration pingTimeout,
    Duration upgradeTimeout,
    Duration connectTimeout,
    Integer maxHttpBufferSize,
    List<String> transports,
    Boolean allowUpgrades,
    List<String> allowedOrigins,
    Integer workerThreads,
    String networkTransport,
    Boolean serveClient,
    String parser,
    Boolean wsCompression,
    Integer wsCompressionThreshold,
    Integer historyMaxLength,
    Duration historyTtl,
    Integer historyMaxBytes,
    Boolean presence,
    Boolean presenceEvents,
    Boolean connectionStateRecovery,
    Duration maxDisconnectionDuration,
    Integer recoveryMaxBytes,
    Integer maxRetainedBytes,
    Integer eventRate,
    Integer userEventRate,
    Integer disconnectAfterRefusals,
    Integer maxConnectionsPerUser,
    Integer maxConnections,
    Integer maxConnectionsPerIp,
    Integer newConnectionsPerIp,
    Duration headerTimeout,
    Duration idleTimeout,
    Integer maxBufferedBytes,
    Duration writeDelay,
    Duration drainWindow,
    Duration drainTimeout,
    String jwtSecret,
    String jwtPublicKey,
    String jwksUrl,
    String jwksFile,
    String jwtIssuer,
    String jwtAudience,
    Duration jwtClockSkew,
    Boolean jwtRequireExp,
    String authCookie,
    Duration authExpiryWarning,
    String redis,
    Duration redisTimeout,
    String redisWire,
    String redisKeyPrefix,
    Boolean redisLiveSessions,
    Boolean virtualThreads) {
}
