package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.Cors;
import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.engineio.Transport;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.http.internal.HttpChannelInitializer;
import dev.switchboard.http.internal.RequestTimeouts;
import dev.switchboard.http.internal.Traffic;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP entry point of an Engine.IO server: validates the query, answers the protocol's
 * errors, performs handshakes and WebSocket upgrades, and hands polling requests to their
 * session's event loop. With a {@link PollingRelay}, polling requests for sessions of other nodes
 * are forwarded to them; a WebSocket upgrade must reach the session's own node.
 */
public final class EngineIoHandler implements HttpRoute {
  static final String WS_FRAMES = "eio-ws";

  private final EngineIoOptions options;
  private final Sessions sessions;
  private final Consumer<RealEngineSession> onConnection;
  /** One frame-decoder configuration shared by every WebSocket (each decoder keeps a reference). */
  private final WebSocketDecoderConfig webSocketDecoding;
  /** The same, RSV bits let through, for WebSockets that agreed on permessage-deflate. */
  private final WebSocketDecoderConfig compressedWebSocketDecoding;
  /** Null without a relay: an unknown session id is unknown. */
  private final PollForwarder forwarder;

  public EngineIoHandler(EngineIoOptions options, Sessions sessions, Consumer<RealEngineSession> onConnection) {
    this(options, sessions, onConnection, Optional.empty());
  }

  /**
   * A handler whose polling requests may cross nodes through {@code relay}, which it starts; the
   * {@code sessions} must then have been created with the relay's tag.
   */
  public EngineIoHandler(EngineIoOptions options, Sessions sessions, Consumer<RealEngineSession> onConnection,
      Optional<PollingRelay> relay) {
    this.options = options;
    this.sessions = sessions;
    this.onConnection = onConnection;
    // Protocol violations reach WebSocketFrameHandler, which answers with the close code.
    this.webSocketDecoding = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(options.maxHttpBufferSize())
        .allowExtensions(false)
        .closeOnProtocolViolation(false)
        .build();
    this.compressedWebSocketDecoding = webSocketDecoding.toBuilder().allowExtensions(true).build();
    this.forwarder = relay.map(r -> new PollForwarder(r, options)).orElse(null);
    relay.ifPresent(r -> r.start(new ForwardedPolls(sessions)));
  }

  @Override
  public void handle(HttpExchange exchange) {
    long arrivedAt = System.nanoTime();
    CorsOptions cors = options.cors();
    if (!Cors.permits(cors, exchange)) {
      // Cross-site WebSocket hijacking protection: browsers always send Origin.
      respondError(exchange, EngineError.FORBIDDEN, cors);
      return;
    }
    if (exchange.method().equals(HttpMethod.OPTIONS)) {
      exchange.respondEmpty(HttpResponseStatus.NO_CONTENT, Cors.preflight(cors, exchange, "GET, POST"));
      return;
    }
    Optional<Transport> transport = exchange.queryParam("transport").flatMap(Transport::fromWireName);
    if (transport.isEmpty() || !options.transports().contains(transport.get())) {
      respondError(exchange, EngineError.TRANSPORT_UNKNOWN, cors);
      return;
    }
    boolean webSocket = isWebSocketUpgrade(exchange);
    if (transport.get() == Transport.WEBSOCKET && !webSocket) {
      respondError(exchange, EngineError.BAD_REQUEST, cors);
      return;
    }
    Optional<String> sid = exchange.queryParam("sid");
    if (sid.isPresent()) {
      RealEngineSession session = sessions.get(sid.get());
      String owner = session == null && forwarder != null ? forwarder.remoteOwner(sid.get()) : null;
      if (owner != null) {
        if (transport.get() == Transport.WEBSOCKET) {
          // The client stays on polling when its probe fails; proxying WebSocket frames through
          // Redis would cost more than it saves.
          respondError(exchange, EngineError.UPGRADE_ELSEWHERE, cors);
        } else {
          forwarder.forward(exchange, owner, sid.get());
        }
      } else if (session == null || (session.hasEnded() && !exchange.method().equals(HttpMethod.GET))) {
        respondError(exchange, EngineError.UNKNOWN_SID, cors);
      } else if (transport.get() == Transport.WEBSOCKET) {
        upgrade(exchange, session);
      } else if (session.transport() != Transport.POLLING) {
        respondError(exchange, EngineError.BAD_REQUEST, cors);
      } else {
        // A GET for a session that just ended still goes to it: it may have been sent before the end.
        poll(exchange, session, arrivedAt);
      }
      return;
    }
    if (!exchange.method().equals(HttpMethod.GET)) {
      refuseHandshake(exchange, transport.get(), EngineError.BAD_HANDSHAKE_METHOD);
      return;
    }
    EngineError refused = sessions.admit(exchange.remoteIp());
    if (refused != null) {
      refuseHandshake(exchange, transport.get(), refused);
      return;
    }
    // As in Node, only a handshake is checked for the protocol version, after the other checks.
    if (!"4".equals(exchange.queryParam("EIO").orElse(null))) {
      refuseHandshake(exchange, transport.get(), EngineError.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    sessions.meters().accepted(transport.get());
    if (transport.get() == Transport.WEBSOCKET) {
      openWebSocket(exchange);
    } else {
      openPolling(exchange);
    }
  }

  private void refuseHandshake(HttpExchange exchange, Transport transport, EngineError refusal) {
    sessions.meters().refused(transport, refusal);
    respondError(exchange, refusal, options.cors());
  }

  /** An oversized polling POST breaks maxHttpBufferSize: its session ends with a transport error. */
  @Override
  public void onOversizedRequest(io.netty.handler.codec.http.HttpRequest request) {
    java.util.List<String> sid = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters().get("sid");
    RealEngineSession session = sid == null || sid.isEmpty() ? null : sessions.get(sid.get(0));
    if (session != null) {
      session.executor().execute(() -> session.polls().onOversized());
    } else if (sid != null && !sid.isEmpty() && forwarder != null) {
      String owner = forwarder.remoteOwner(sid.get(0));
      if (owner != null) {
        forwarder.forwardOversized(owner, sid.get(0));
      }
    }
  }

  /** The event loops stop next: end every session now, releasing what it still holds. */
  @Override
  public void onServerStopping() {
    java.util.List<io.netty.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    for (RealEngineSession session : sessions.all()) {
      if (!session.executor().isShuttingDown()) {
        done.add(session.executor().submit(session::terminate));
      }
    }
    for (io.netty.util.concurrent.Future<?> future : done) {
      future.awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private void openPolling(HttpExchange exchange) {
    RealEngineSession session = sessions.create(exchange.channel().eventLoop(), request(exchange), Traffic.of(exchange.channel()));
    session.openWithPolling(exchange, onConnection);
  }

  private void openWebSocket(HttpExchange exchange) {
    EngineRequest request = request(exchange);
    Handshake handshake = handshake(exchange);
    if (handshake == null) {
      return;
    }
    WebSocketTransport ws = handshake.transport();
    RealEngineSession session = sessions.create(exchange.channel().eventLoop(), request, Traffic.of(exchange.channel()));
    exchange.channel().pipeline().addLast(WS_FRAMES, new WebSocketFrameHandler(session, ws, options.maxHttpBufferSize()));
    // Frames may only follow the 101 answer once it is written and the HTTP encoder is gone. A
    // failed answer closes the connection, and the session ends with it.
    handshake.written().addListener(written -> session.openWithWebSocket(ws, onConnection));
  }

  private void upgrade(HttpExchange exchange, RealEngineSession session) {
    if (!options.upgradesFrom(Transport.POLLING)) {
      respondError(exchange, EngineError.BAD_REQUEST, options.cors());
      return;
    }
    Handshake handshake = handshake(exchange);
    if (handshake == null) {
      return;
    }
    // The session writes on this WebSocket only to answer the client's probe, which comes after
    // the 101 answer has been written. The probe must find the upgrade begun: frames reach a
    // session on this loop at once, and io_uring may read the probe before this loop turn's
    // tasks run, so on the session's own loop the upgrade begins now.
    WebSocketTransport ws = handshake.transport();
    exchange.channel().pipeline().addLast(WS_FRAMES, new WebSocketFrameHandler(session, ws, options.maxHttpBufferSize()));
    // Whether the session may upgrade is known only on its loop, and Node answers alike either way:
    // a session already on WebSocket, upgrading, or ending gets this WebSocket accepted, then closed.
    EventLoops.runOn(session.executor(), () -> {
      if (!session.beginUpgrade(ws)) {
        ws.closeWithoutStatus();
      }
    });
  }

  private void poll(HttpExchange exchange, RealEngineSession session, long arrivedAt) {
    LocalPoll poll = new LocalPoll(exchange, options.cors(), arrivedAt);
    if (exchange.method().equals(HttpMethod.GET)) {
      session.executor().execute(() -> session.polls().onGet(poll));
    } else if (exchange.method().equals(HttpMethod.POST)) {
      String body = exchange.bodyAsString();
      session.executor().execute(() -> session.polls().onPost(poll, body));
    } else {
      respondError(exchange, EngineError.BAD_REQUEST, options.cors());
    }
  }

  /** The permessage-deflate terms for this request's offers, when the server compresses. */
  private Optional<PerMessageDeflate> deflate(HttpExchange exchange) {
    if (options.webSocketCompression().isEmpty()) {
      return Optional.empty();
    }
    List<String> offers = exchange.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
    return offers.isEmpty() ? Optional.empty()
        : PerMessageDeflate.negotiate(String.join(",", offers), options.webSocketCompression().get());
  }

  /** A WebSocket handshake under way: the transport, and the write of the 101 answer. */
  private record Handshake(WebSocketTransport transport, ChannelFuture written) {}

  /**
   * Answers the WebSocket handshake and reshapes the pipeline for frames; null when the request
   * cannot be upgraded (answered already). The HTTP encoder leaves the pipeline once the answer
   * is written: with a transport that completes writes later (io_uring), that is not at once.
   */
  private Handshake handshake(HttpExchange exchange) {
    Channel channel = exchange.channel();
    Optional<PerMessageDeflate> deflate = deflate(exchange);
    WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
        webSocketUrl(exchange), null, deflate.isPresent() ? compressedWebSocketDecoding : webSocketDecoding);
    WebSocketServerHandshaker handshaker = factory.newHandshaker(exchange.request());
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return null;
    }
    ChannelPipeline pipeline = channel.pipeline();
    HttpHeaders answer = deflate.isEmpty() ? null
        : new DefaultHttpHeaders().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, deflate.get().responseHeader());
    ChannelFuture written = handshaker.handshake(channel, exchange.request(), answer, channel.newPromise());
    written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    pipeline.remove(HttpChannelInitializer.ROUTER);
    RequestTimeouts.stop(pipeline);
    // Frames go out as bytes built by WebSocketFrames, so the frame encoder would only cost memory.
    pipeline.remove(WebSocketFrameEncoder.class);
    // The 101 answer is encoded by now (a write on the loop passes the pipeline at once). The
    // handshaker drops the HTTP codec only when that write completes, which with io_uring can be
    // after the client's first frame arrived: the answer to it must not meet the HTTP encoder.
    HttpServerCodec codec = pipeline.get(HttpServerCodec.class);
    if (codec != null) {
      codec.removeOutboundHandler();
    }
    return new Handshake(new WebSocketTransport(channel, deflate), written);
  }

  private static boolean isWebSocketUpgrade(HttpExchange exchange) {
    return exchange.method().equals(HttpMethod.GET)
        && exchange.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && exchange.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private static String webSocketUrl(HttpExchange exchange) {
    boolean tls = exchange.channel().pipeline().get(SslHandler.class) != null;
    String host = exchange.header(HttpHeaderNames.HOST).orElse("localhost");
    return (tls ? "wss://" : "ws://") + host + exchange.uri();
  }

  private static EngineRequest request(HttpExchange exchange) {
    boolean tls = exchange.channel().pipeline().get(SslHandler.class) != null;
    return new EngineRequest(exchange.uri(), readOnlyCopy(exchange.headers()), exchange.remoteAddress(), tls,
        Instant.now());
  }

  /**
   * The handshake's headers, kept for the session's lifetime, as one flat array of name/value
   * pairs (the same strings, no per-header entries or hash buckets): read-only, case-insensitive
   * lookups, in arrival order.
   */
  private static HttpHeaders readOnlyCopy(HttpHeaders headers) {
    CharSequence[] pairs = new CharSequence[headers.size() * 2];
    int i = 0;
    for (java.util.Iterator<java.util.Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      java.util.Map.Entry<CharSequence, CharSequence> header = it.next();
      String name = HEADER_STRINGS.share(header.getKey().toString());
      CharSequence value = header.getValue();
      if (SHARED_VALUES.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        value = HEADER_STRINGS.share(value.toString());
      }
      pairs[i++] = name;
      pairs[i++] = value;
    }
    return new ReadOnlyHttpHeaders(false, i == pairs.length ? pairs : java.util.Arrays.copyOf(pairs, i));
  }

  /**
   * Header names, and the values of headers that repeat across clients, are the same few strings
   * on every connection: each long-lived session shares one copy instead of holding its own.
   * Bounded, so that odd clients cannot grow it; past the bound strings are simply not shared.
   */
  private static final StringPool HEADER_STRINGS = new StringPool(512);
  private static final java.util.Set<String> SHARED_VALUES = java.util.Set.of(
      "host", "connection", "upgrade", "origin", "user-agent", "accept", "accept-encoding", "accept-language",
      "cache-control", "pragma", "sec-websocket-version", "sec-websocket-extensions");

  static final class StringPool {
    private final int capacity;
    private final java.util.concurrent.ConcurrentHashMap<String, String> strings = new java.util.concurrent.ConcurrentHashMap<>();

    StringPool(int capacity) {
      this.capacity = capacity;
    }

    /** The pooled copy of {@code s}, or {@code s} itself (added while there is room). */
    String share(String s) {
      String shared = strings.get(s);
      if (shared != null) {
        return shared;
      }
      if (strings.size() >= capacity || s.length() > 256) {
        return s;
      }
      shared = strings.putIfAbsent(s, s);
      return shared == null ? s : shared;
    }
  }

  static void respondError(HttpExchange exchange, EngineError error, CorsOptions cors) {
    exchange.respondJson(error.status(), error.json(), Cors.headers(cors, exchange));
  }
}
