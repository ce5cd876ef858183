package dev.switchboard.engineio;

import dev.switchboard.engineio.internal.EngineIoHandler;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.engineio.internal.Sessions;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.HttpServer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An Engine.IO v4 server, usable on its own like Node's {@code engine.io} package: mount its
 * {@link #route()} on an {@link HttpServer} at {@link EngineIoOptions#path()}.
 *
 * <pre>{@code
 * EngineIoServer engine = EngineIoServer.create(EngineIoOptions.defaults());
 * engine.onConnection(session -> session.listener(new EngineSession.Listener() {
 *   public void onMessage(EngineSession s, String text) { s.send("echo: " + text); }
 * }));
 * HttpServer http = engine.mountOn(HttpServer.builder().port(3000)).build().start();
 * }</pre>
 */
public final class EngineIoServer implements AutoCloseable {
  private final EngineIoOptions options;
  private final Sessions sessions;
  private final EngineIoHandler handler;
  private volatile Consumer<EngineSession> connectionListener = session -> { };

  private EngineIoServer(EngineIoOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.sessions = new Sessions(options);
    this.handler = new EngineIoHandler(options, sessions, this::onConnection);
  }

  public static EngineIoServer create(EngineIoOptions options) {
    return new EngineIoServer(options);
  }

  /** Called for each new session, on the session's event loop. */
  public EngineIoServer onConnection(Consumer<EngineSession> listener) {
    this.connectionListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The HTTP route that serves this server's path. */
  public HttpRoute route() {
    return handler;
  }

  /** Mounts this server on {@code http} at {@link EngineIoOptions#path()}. */
  public HttpServer.Builder mountOn(HttpServer.Builder http) {
    return http.route(options.path(), handler).maxContentLength(options.maxHttpBufferSize());
  }

  public EngineIoOptions options() {
    return options;
  }

  /** The number of open sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Closes every session with {@link CloseReason#SERVER_SHUTTING_DOWN}. */
  @Override
  public void close() {
    for (RealEngineSession session : sessions.all()) {
      session.close(CloseReason.SERVER_SHUTTING_DOWN, "server shutting down");
    }
  }

  private void onConnection(RealEngineSession session) {
    connectionListener.accept(session);
  }
}
