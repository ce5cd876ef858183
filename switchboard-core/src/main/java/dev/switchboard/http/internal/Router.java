package dev.switchboard.http.internal;

import dev.switchboard.http.HttpRoute;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Finds the route for a path: the longest mounted prefix wins. */
public final class Router {
  private record Mount(String prefix, String bare, HttpRoute route) {}

  private final List<Mount> mounts;

  public Router(Map<String, HttpRoute> routes) {
    this.mounts = routes.entrySet().stream()
        .map(e -> new Mount(e.getKey(), stripSlash(e.getKey()), e.getValue()))
        .sorted(Comparator.comparingInt((Mount m) -> m.prefix.length()).reversed())
        .toList();
  }

  /** The route for {@code path}, or null. */
  public HttpRoute find(String path) {
    for (Mount mount : mounts) {
      if (mount.prefix.equals("/")) {
        if (path.equals("/")) {
          return mount.route;
        }
        continue;
      }
      if (path.startsWith(mount.prefix) || path.equals(mount.bare)) {
        return mount.route;
      }
    }
    return null;
  }

  /** Tells every route that the server is stopping. */
  public void stopping() {
    for (Mount mount : mounts) {
      mount.route.onServerStopping();
    }
  }

  private static String stripSlash(String prefix) {
    return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }
}
