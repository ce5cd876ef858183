package dev.switchboard.http;

/**
 * Serves the requests whose path starts with the prefix a route is mounted on. Called on the
 * event loop of the request's connection: a route must not block.
 */
@FunctionalInterface
public interface HttpRoute {
  void handle(HttpExchange exchange);

  /**
   * Told that a request for this route was refused with 413 because its body exceeded the
   * server's limit; the request's body is not available.
   */
  default void onOversizedRequest(io.netty.handler.codec.http.HttpRequest request) {}

  /**
   * Told that the server is stopping, before its event loops shut down: end what the route
   * keeps open and release what it holds. Called on a thread that may block briefly.
   */
  default void onServerStopping() {}
}
