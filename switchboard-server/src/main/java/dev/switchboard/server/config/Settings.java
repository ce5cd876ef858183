package dev.switchboard.server.config;

import java.util.List;
import java.util.Optional;

/** Every setting of the standalone server, in the order {@code --help} lists them. */
public final class Settings {
  public static final Setting HOST = new Setting("host", "HOST", "0.0.0.0", "Address to listen on.");
  public static final Setting PORT = new Setting("port", "PORT", "3000", "Port to listen on (0 picks a free one).");
  public static final Setting PATH = new Setting("path", "PATH", "/socket.io/", "Where Socket.IO is served.");
  public static final Setting PING_INTERVAL = new Setting("ping-interval", "DURATION", "25s",
      "How often the server pings each connection (e.g. 25s, 500ms).");
  public static final Setting PING_TIMEOUT = new Setting("ping-timeout", "DURATION", "20s",
      "How long to wait for a pong before closing a connection.");
  public static final Setting UPGRADE_TIMEOUT = new Setting("upgrade-timeout", "DURATION", "10s",
      "How long an upgrade from polling to WebSocket may take.");
  public static final Setting CONNECT_TIMEOUT = new Setting("connect-timeout", "DURATION", "45s",
      "How long a new connection may take to join a namespace.");
  public static final Setting MAX_HTTP_BUFFER_SIZE = new Setting("max-http-buffer-size", "BYTES", "1000000",
      "Largest message or polling request body accepted, in bytes.");
  public static final Setting TRANSPORTS = new Setting("transports", "LIST", "polling,websocket",
      "Transports clients may use.");
  public static final Setting ALLOW_UPGRADES = new Setting("allow-upgrades", "BOOL", "true",
      "Whether polling connections may upgrade to WebSocket.");
  public static final Setting ALLOWED_ORIGINS = new Setting("allowed-origins", "LIST", "",
      "Origins browsers may connect from, answered with CORS (comma-separated, * for any);"
          + " requests from other origins are refused. Empty: any origin, no CORS headers.");
  public static final Setting NETWORK_TRANSPORT = new Setting("network-transport", "NAME", "epoll",
      "How the event loops talk to the kernel: epoll, io_uring (fewer system calls per fan-out; measure it on your load first) or nio; falls back to epoll, then nio, when unavailable.");
  public static final Setting WORKER_THREADS = new Setting("worker-threads", "N", "0",
      "Event-loop threads; 0 means one per core.");
  public static final Setting DEMO = new Setting("demo", "BOOL", "true", "Serve the demo app (chat, shared document, LLM streaming, notifications, video call) at /.");
  public static final Setting SERVE_CLIENT = new Setting("serve-client", "BOOL", "true",
      "Serve the official browser client at <path>socket.io.js (also .min.js, .esm.min.js, .msgpack.min.js and their .map files).");
  public static final Setting WS_COMPRESSION = new Setting("ws-compression", "BOOL", "false",
      "Compress WebSocket messages with permessage-deflate for clients that offer it (off, as Node's perMessageDeflate); the server keeps no compression context between messages, so a broadcast is compressed once.");
  public static final Setting WS_COMPRESSION_THRESHOLD = new Setting("ws-compression-threshold", "BYTES", "1024",
      "With --ws-compression, messages of fewer bytes go out uncompressed (Node's perMessageDeflate.threshold).");
  public static final Setting PARSER = new Setting("parser", "NAME", "json",
      "Packet format every client speaks: json (Socket.IO's own) or msgpack (clients with socket.io-msgpack-parser), as Node's parser option.");
  public static final Setting LLM_PROVIDER = new Setting("llm-provider", "NAME", "echo",
      "Model behind POST /api/v1/chat: echo (offline, streams the last message back), anthropic, or openai (any OpenAI-compatible API).");
  public static final Setting LLM_BASE_URL = new Setting("llm-base-url", "URL", "",
      "Base URL of the model API; none means the provider's own (https://api.anthropic.com or https://api.openai.com).");
  public static final Setting LLM_API_KEY = new Setting("llm-api-key", "KEY", "",
      "API key for the model API (required for anthropic and openai); prefer the environment variable SWITCHBOARD_LLM_API_KEY.");
  public static final Setting LLM_MODEL = new Setting("llm-model", "NAME", "",
      "Model used when a chat request names none; none means claude-sonnet-4-5 (anthropic) or gpt-4o-mini (openai).");
  public static final Setting CHAT_RATE = new Setting("chat-rate", "N", "20",
      "Chat answers one user (one IP address without authentication) may start per minute; more are refused with 429 RATE_LIMITED; 0: no limit.");
  public static final Setting CHAT_MAX_STREAMS = new Setting("chat-max-streams", "N", "3",
      "Chat answers one user (one IP address without authentication) may stream at once; more are refused with 429 TOO_MANY_STREAMS; 0: no limit.");

  public static final Setting SSE_PATH = new Setting("sse-path", "PATH", "/sse",
      "Where EventSource streams of rooms are served (GET ?rooms=a,b).");
  public static final Setting SSE_HEARTBEAT = new Setting("sse-heartbeat", "DURATION", "30s",
      "How often an idle SSE stream gets a comment line, to keep proxies from closing it.");
  public static final Setting HISTORY_MAX_LENGTH = new Setting("history-max-length", "N", "100",
      "Messages kept per room for resuming streams (0 keeps none).");
  public static final Setting HISTORY_TTL = new Setting("history-ttl", "DURATION", "2m",
      "How long a room keeps a message for resuming streams.");
  public static final Setting HISTORY_MAX_BYTES = new Setting("history-max-bytes", "BYTES", "1048576",
      "Bytes of messages kept per room; the oldest go first (a resume from before them reports a gap).");
  public static final Setting MAX_RETAINED_BYTES = new Setting("max-retained-bytes", "BYTES", "67108864",
      "Bytes this process keeps for room history and recovery together; past it the oldest message of any room or namespace goes first.");

  public static final Setting PRESENCE = new Setting("presence", "BOOL", "true",
      "Track who is in each room (presence:list, and the Java API); call rooms and user rooms always are (WebRTC signaling reads them).");
  public static final Setting PRESENCE_EVENTS = new Setting("presence-events", "BOOL", "true",
      "Announce arrivals and departures to rooms with presence:join / presence:leave.");
  public static final Setting PRESENCE_DIFF_INTERVAL = new Setting("presence-diff-interval", "DURATION", "200ms",
      "How long a room's presence changes are gathered into one presence:diff for clients that ask for diffs"
          + " (handshake auth.presenceDiff: true), up to 10s; 0 sends every client one event per change.");
  public static final Setting RECOVERY = new Setting("connection-state-recovery", "BOOL", "true",
      "Let clients that lose their connection recover their session and missed packets (socket.io-client 4.6+).");
  public static final Setting MAX_DISCONNECTION = new Setting("max-disconnection-duration", "DURATION", "2m",
      "How long a lost session can still be recovered.");
  public static final Setting RECOVERY_MAX_BYTES = new Setting("recovery-max-bytes", "BYTES", "16777216",
      "Bytes of packets kept for recovery per namespace; the oldest go first (a client that missed one of them gets a fresh session).");

  public static final Setting EVENT_RATE = new Setting("event-rate", "N", "20",
      "Events per second one socket may send (twice that in a burst); 0: no limit.");
  public static final Setting USER_EVENT_RATE = new Setting("user-event-rate", "N", "50",
      "Events per second one user may send over all connections (twice that in a burst); 0: no limit.");
  public static final Setting DISCONNECT_AFTER_REFUSALS = new Setting("disconnect-after-refusals", "N", "100",
      "Rate-limited events within 10 s that end the connection; 0: never.");
  public static final Setting MAX_CONNECTIONS_PER_USER = new Setting("max-connections-per-user", "N", "20",
      "Connections one user may have open; 0: no cap.");
  public static final Setting MAX_CONNECTIONS = new Setting("max-connections", "N", "0",
      "Connections this server accepts in total; 0: no cap.");
  public static final Setting MAX_CONNECTIONS_PER_IP = new Setting("max-connections-per-ip", "N", "0",
      "Connections one IP address may have open; 0: no cap.");
  public static final Setting NEW_CONNECTIONS_PER_IP = new Setting("new-connections-per-ip", "N", "0",
      "New connections per second one IP address may open (twice that in a burst); 0: no cap.");
  public static final Setting HEADER_TIMEOUT = new Setting("header-timeout", "DURATION", "10s",
      "How long a connection may take to send a complete request head (from its first byte, or from opening); slower ones are closed.");
  public static final Setting IDLE_TIMEOUT = new Setting("idle-timeout", "DURATION", "60s",
      "How long a keep-alive HTTP connection may wait for its next request (or a stalled request body) before it is closed; not WebSocket, SSE or pending long polls. Keep it above the ping interval.");
  public static final Setting MAX_BUFFERED_BYTES = new Setting("max-buffered-bytes", "BYTES", "1048576",
      "Bytes that may wait to be sent to one client before it is closed as a slow consumer.");
  public static final Setting WRITE_DELAY = new Setting("write-delay", "DURATION", "0",
      "How long written messages may wait to be flushed (0-100ms): a busy connection's messages of that time leave in one write.");
  public static final Setting JWT_SECRET = new Setting("jwt-secret", "SECRET", "",
      "Shared secret verifying HS256 (32+ bytes), HS384 (48+) and HS512 (64+) tokens; prefer SWITCHBOARD_JWT_SECRET. Any JWT setting turns authentication on.");
  public static final Setting JWT_PUBLIC_KEY = new Setting("jwt-public-key", "FILE", "",
      "PEM public key (RSA or EC P-256) verifying RS256 / ES256 tokens.");
  public static final Setting JWKS_URL = new Setting("jwks-url", "URL", "",
      "JSON Web Key Set URL, cached and refreshed; an unknown kid triggers a (rate-limited) refetch.");
  public static final Setting JWKS_FILE = new Setting("jwks-file", "FILE", "", "JSON Web Key Set file.");
  public static final Setting JWT_ISSUER = new Setting("jwt-issuer", "ISS", "", "Required iss claim; none accepts any.");
  public static final Setting JWT_AUDIENCE = new Setting("jwt-audience", "AUD", "", "Required aud claim; none accepts any.");
  public static final Setting JWT_CLOCK_SKEW = new Setting("jwt-clock-skew", "DURATION", "60s",
      "Tolerance for exp and nbf (0 for none).");
  public static final Setting JWT_REQUIRE_EXP = new Setting("jwt-require-exp", "BOOL", "true",
      "Refuse tokens without an exp claim (TOKEN_INVALID); false accepts tokens that never expire.");
  public static final Setting AUTH_COOKIE = new Setting("auth-cookie", "NAME", "",
      "Cookie that may carry the token (Socket.IO handshake and SSE); none by default.");
  public static final Setting AUTH_EXPIRY_WARNING = new Setting("auth-expiry-warning", "DURATION", "60s",
      "How long before a token expires the client gets auth:expiring.");
  public static final Setting ROOM_RULES = new Setting("room-rules", "FILE", "",
      "JSON rules deciding room joins and publishes: [{room, join?, publish?}]; none lets any user join any room.");
  public static final Setting AUTHZ_WEBHOOK = new Setting("authz-webhook", "URL", "",
      "Backend asked for each join and publish: POST {room, action, principal} -> {allow}.");
  public static final Setting AUTHZ_TIMEOUT = new Setting("authz-timeout", "DURATION", "2s",
      "How long the authorization webhook may take before AUTHZ_UNAVAILABLE.");
  public static final Setting AUTHZ_CACHE_TTL = new Setting("authz-cache-ttl", "DURATION", "30s",
      "How long webhook answers are cached (0 for not at all).");

  public static final Setting REDIS = new Setting("redis", "URI", "",
      "Redis shared by the nodes of a cluster (redis://host:port, or redis-cluster://host:port,host:port for a Redis Cluster):"
          + " rooms, presence and per-user connection caps span every node."
          + " None: a single node.");
  public static final Setting REDIS_TIMEOUT = new Setting("redis-timeout", "DURATION", "2s",
      "How long a Redis command may take: a Redis that does not answer in time counts as down (its connections are"
          + " made again, local delivery goes on, cross-node messages of the stall are dropped).");

  public static final Setting REDIS_WIRE = new Setting("redis-wire", "WIRE", "switchboard",
      "How nodes talk over Redis: switchboard (its own format: shared history, recovery on any node, polling without"
          + " sticky sessions), socketio (the format of @socket.io/redis-adapter 8.x and @socket.io/redis-emitter:"
          + " Node Socket.IO servers and Switchboard nodes form one cluster; history and recovery stay per node) or"
          + " socketio-sharded (that of its sharded adapter, createShardedAdapter: the same with Node nodes using it, on"
          + " one Redis server or a Redis Cluster).");
  public static final Setting REDIS_LIVE_SESSIONS = new Setting("redis-live-sessions", "BOOL", "true",
      "With --redis and connection state recovery, keep each connected socket's recoverable state (id, rooms, JSON data)"
          + " in Redis as it changes, in batched writes, so that its client recovers on another node even when its node"
          + " is killed without a word (SIGKILL, a lost machine); false keeps only sockets that disconnect while their"
          + " node runs.");
  public static final Setting REDIS_KEY_PREFIX = new Setting("redis-key-prefix", "PREFIX", "socket.io",
      "With --redis-wire socketio or socketio-sharded, the channel prefix of the Node adapter (its `key` or"
          + " `channelPrefix` option).");
  public static final Setting REDIS_SUBSCRIPTION_MODE = new Setting("redis-subscription-mode", "MODE", "dynamic",
      "With --redis-wire socketio-sharded, the sharded adapter's `subscriptionMode` the Node nodes use: dynamic (a"
          + " channel per room) or static (two channels per namespace).");

  public static final Setting DRAIN_WINDOW = new Setting("drain-window", "DURATION", "10s",
      "On SIGTERM, the time over which connected clients are disconnected, each at its own turn, so that they reconnect"
          + " to the other nodes gradually (0: all at once); /readyz answers 503 and new connections are refused from the start.");
  public static final Setting DRAIN_TIMEOUT = new Setting("drain-timeout", "DURATION", "30s",
      "The longest a graceful stop (SIGTERM) takes until the process exits; connections still open near its end are"
          + " closed at once. Keep it above --drain-window and below the grace period of your orchestrator.");

  public static final Setting API_KEY = new Setting("api-key", "KEYS", "",
      "Keys that open the server API (POST /api/v1/server/<operation>), comma-separated so that one can be rotated, each at"
          + " least 16 characters; prefer SWITCHBOARD_API_KEY. None: the server API answers 404 SERVER_API_DISABLED.");
  public static final Setting REDIS_PUBLISH_CHANNEL = new Setting("redis-publish-channel", "NAME", "",
      "Redis channel (e.g. ws:events) whose messages {room, event, data} every node delivers to its own members of the room,"
          + " as io.to(room).emit(event, data): each recipient once in the cluster. Needs --redis. None: off.");
  public static final Setting WEBRTC_SIGNALING = new Setting("webrtc-signaling", "MODE", "call-rooms",
      "Who may send WebRTC signals (webrtc:offer, webrtc:answer, webrtc:ice-candidate) to whom: call-rooms (users who share a call:{id} room)"
          + " or open (any two users; unsafe, see README).");
  public static final Setting CALL_MESH_LIMIT = new Setting("call-mesh-limit", "N", "4",
      "Users one call room (call:{id}) takes, on every node together; one more is refused with CALL_FULL {sfu: true}; 0: no limit.");

  public static final Setting TURN_SECRET = new Setting("turn-secret", "SECRETS", "",
      "Shared secrets of the TURN server (coturn use-auth-secret / static-auth-secret), comma-separated: the first signs"
          + " the credentials of GET /api/v1/turn-credentials, all go into coturn's configuration; prefer SWITCHBOARD_TURN_SECRET. None: no TURN credentials.");
  public static final Setting TURN_URLS = new Setting("turn-urls", "LIST", "",
      "STUN and TURN URLs handed out with the credentials, comma-separated (stun:, turn:, turns:; e.g. turn:turn.example.com:3478?transport=udp).");
  public static final Setting TURN_TTL = new Setting("turn-ttl", "DURATION", "1h", "How long a TURN credential is valid.");
  public static final Setting SFU_API_KEY = new Setting("sfu-api-key", "KEY", "",
      "API key of the SFU (LiveKit) that POST /api/v1/sfu-token signs tokens for (their iss). None: no SFU tokens.");
  public static final Setting SFU_API_SECRET = new Setting("sfu-api-secret", "SECRET", "",
      "API secret of the SFU (32+ bytes) the tokens are signed with (HS256); prefer SWITCHBOARD_SFU_API_SECRET.");
  public static final Setting SFU_TOKEN_TTL = new Setting("sfu-token-ttl", "DURATION", "10m", "How long an SFU token is valid.");
  public static final Setting SFU_GRANTS = new Setting("sfu-grants", "FILE", "",
      "JSON rules of SFU grants per call room: [{room, publish?, subscribe?, publishData?, record?}]; none gives every participant every grant.");

  public static final Setting METRICS = new Setting("metrics", "BOOL", "true",
      "Serve Prometheus metrics (switchboard_* meters, JVM and process meters) at the metrics path; block that path at your"
          + " proxy if the server faces the internet.");
  public static final Setting METRICS_PATH = new Setting("metrics-path", "PATH", "/metrics", "Where Prometheus metrics are served.");
  public static final Setting LOG_FORMAT = new Setting("log-format", "NAME", "text",
      "How log lines are written to standard error: text, or json (one JSON object per line: ts, level, logger, thread,"
          + " message, the MDC, and error with its stack trace).");

  public static final Setting WEBHOOK_URL = new Setting("webhook-url", "URLS", "",
      "Backend URLs that get events as signed JSON batches (POST {events:[...]}), comma-separated or the flag repeated;"
          + " one may end with #events=<filter> to get other events than --webhook-events. None: no webhooks.");
  public static final Setting WEBHOOK_SECRET = new Setting("webhook-secret", "SECRETS", "",
      "Secrets signing webhook requests (HMAC-SHA256), comma-separated: each request carries one signature per secret,"
          + " so that one can be rotated; each at least 16 characters; required with --webhook-url; prefer SWITCHBOARD_WEBHOOK_SECRET.");
  public static final Setting WEBHOOK_EVENTS = new Setting("webhook-events", "FILTER", "connect,disconnect,room.*,presence.*",
      "Events sent to URLs without a filter of their own: connect, disconnect, room.occupied, room.vacated, presence.join,"
          + " presence.leave, publish, the groups room.* and presence.*, or * (all but publish); an event about a room may"
          + " name rooms with @pattern, as in publish@orders:*.");
  public static final Setting WEBHOOK_BATCH_SIZE = new Setting("webhook-batch-size", "N", "100",
      "Most events in one webhook request.");
  public static final Setting WEBHOOK_BATCH_DELAY = new Setting("webhook-batch-delay", "DURATION", "50ms",
      "Longest an event waits for others to share its webhook request (0: sent once the previous request is answered).");
  public static final Setting WEBHOOK_QUEUE_SIZE = new Setting("webhook-queue-size", "N", "10000",
      "Events waiting per webhook URL; more are dropped and counted, never delaying clients.");
  public static final Setting WEBHOOK_RETRIES = new Setting("webhook-retries", "N", "5",
      "Retries of a webhook request that failed (5xx, 408, 429, timeout, connection error), after about 1s, 2s, 4s..."
          + " (jittered, at most 30s); 0: none.");
  public static final Setting WEBHOOK_TIMEOUT = new Setting("webhook-timeout", "DURATION", "5s",
      "How long one webhook request may take.");

  public static final Setting ADMIN = new Setting("admin", "BOOL", "false",
      "Serve the official Socket.IO Admin UI's server half (admin.socket.io, or a self-hosted @socket.io/admin-ui ui/dist) on --admin-namespace, and the ops page at /admin/ (nodes, rooms, webhooks, live charts), both behind --admin-auth.");
  public static final Setting ADMIN_NAMESPACE = new Setting("admin-namespace", "PATH", "/admin", "The namespace the Admin UI connects to.");
  public static final Setting ADMIN_USERNAME = new Setting("admin-username", "NAME", "admin", "The Admin UI's login name (with --admin-auth basic).");
  public static final Setting ADMIN_PASSWORD_HASH = new Setting("admin-password-hash", "HASH", "",
      "bcrypt hash ($2a$, $2b$ or $2y$) of the admin password (Admin UI and ops page); required with --admin-auth basic; prefer SWITCHBOARD_ADMIN_PASSWORD_HASH.");
  public static final Setting ADMIN_AUTH = new Setting("admin-auth", "MODE", "basic",
      "How the Admin UI logs in: basic (user name and password, then a 24 h session) or none (only on a loopback --host, or with --admin-insecure).");
  public static final Setting ADMIN_INSECURE = new Setting("admin-insecure", "BOOL", "false",
      "Allow --admin-auth none on a --host that is not loopback: anyone who reaches the server can see and disconnect every socket.");
  public static final Setting ADMIN_READONLY = new Setting("admin-readonly", "BOOL", "false",
      "Refuse the Admin UI's actions (join, leave, disconnect, emit): it only watches.");
  public static final Setting ADMIN_MODE = new Setting("admin-mode", "MODE", "development",
      "What the Admin UI is sent: development (stats, and every socket, room and event live while a UI is connected) or production (stats only).");

  /** Settings whose flag may be given several times, the values joined with commas. */
  public static final java.util.Set<Setting> REPEATABLE = java.util.Set.of(WEBHOOK_URL);

  public static final List<Setting> ALL = List.of(
      HOST, PORT, PATH, PING_INTERVAL, PING_TIMEOUT, UPGRADE_TIMEOUT, CONNECT_TIMEOUT,
      MAX_HTTP_BUFFER_SIZE, TRANSPORTS, ALLOW_UPGRADES, ALLOWED_ORIGINS, WORKER_THREADS, NETWORK_TRANSPORT, DEMO, SERVE_CLIENT, PARSER, WS_COMPRESSION, WS_COMPRESSION_THRESHOLD,
      SSE_PATH, SSE_HEARTBEAT, HISTORY_MAX_LENGTH, HISTORY_TTL, HISTORY_MAX_BYTES,
      PRESENCE, PRESENCE_EVENTS, PRESENCE_DIFF_INTERVAL, RECOVERY, MAX_DISCONNECTION, RECOVERY_MAX_BYTES, MAX_RETAINED_BYTES,
      EVENT_RATE, USER_EVENT_RATE, DISCONNECT_AFTER_REFUSALS, MAX_CONNECTIONS_PER_USER,
      MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, NEW_CONNECTIONS_PER_IP, HEADER_TIMEOUT, IDLE_TIMEOUT,
      MAX_BUFFERED_BYTES, WRITE_DELAY,
      DRAIN_WINDOW, DRAIN_TIMEOUT,
      JWT_SECRET, JWT_PUBLIC_KEY, JWKS_URL, JWKS_FILE, JWT_ISSUER, JWT_AUDIENCE, JWT_CLOCK_SKEW, JWT_REQUIRE_EXP, AUTH_COOKIE,
      AUTH_EXPIRY_WARNING, ROOM_RULES, AUTHZ_WEBHOOK, AUTHZ_TIMEOUT, AUTHZ_CACHE_TTL,
      REDIS, REDIS_TIMEOUT, REDIS_WIRE, REDIS_LIVE_SESSIONS, REDIS_KEY_PREFIX, REDIS_SUBSCRIPTION_MODE, API_KEY, REDIS_PUBLISH_CHANNEL, LLM_PROVIDER, LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, CHAT_RATE, CHAT_MAX_STREAMS,
      WEBRTC_SIGNALING, CALL_MESH_LIMIT, TURN_SECRET, TURN_URLS, TURN_TTL, SFU_API_KEY, SFU_API_SECRET, SFU_TOKEN_TTL, SFU_GRANTS,
      METRICS, METRICS_PATH, LOG_FORMAT,
      WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_EVENTS, WEBHOOK_BATCH_SIZE, WEBHOOK_BATCH_DELAY, WEBHOOK_QUEUE_SIZE, WEBHOOK_RETRIES,
      WEBHOOK_TIMEOUT,
      ADMIN, ADMIN_NAMESPACE, ADMIN_USERNAME, ADMIN_PASSWORD_HASH, ADMIN_AUTH, ADMIN_INSECURE, ADMIN_READONLY, ADMIN_MODE);

  private Settings() {}

  /** The setting named {@code key}; empty when there is none. */
  public static Optional<Setting> byKey(String key) {
    return ALL.stream().filter(setting -> setting.key().equals(key)).findFirst();
  }
}
