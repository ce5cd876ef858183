package dev.switchboard.http;

/**
 * Serves the requests whose path starts with the prefix a route is mounted on. Called on the
 * event loop of the request's connection: a route must not block.
 */
@FunctionalInterface
public interface HttpRoute {
  void handle(HttpExchange exchange);
}
