package dev.switchboard.redis;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Redis is: one server ({@code redis://host:port}, {@code rediss://...}) or a Redis Cluster
 * reached through one or more seed nodes ({@code redis-cluster://host:port[,host:port...]},
 * {@code rediss-cluster://...} for TLS). User info, database path and query options apply to
 * every seed.
 *
 * @param seeds the server, or the cluster's seed nodes
 * @param cluster whether the target is a Redis Cluster
 */
record RedisTarget(List<RedisURI> seeds, boolean cluster) {
  private static final String CLUSTER = "redis-cluster://";
  private static final String CLUSTER_TLS = "rediss-cluster://";

  static RedisTarget parse(String uri) {
    if (uri.startsWith(CLUSTER)) {
      return new RedisTarget(seeds("redis://", uri.substring(CLUSTER.length())), true);
    }
    if (uri.startsWith(CLUSTER_TLS)) {
      return new RedisTarget(seeds("rediss://", uri.substring(CLUSTER_TLS.length())), true);
    }
    return new RedisTarget(List.of(RedisURI.create(uri)), false);
  }

  private static List<RedisURI> seeds(String scheme, String rest) {
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
    String hostsAndMore = rest.substring(at + 1);
    int end = hostsAndMore.length();
    for (char c : new char[] {'/', '?'}) {
      int index = hostsAndMore.indexOf(c);
      end = index < 0 ? end : Math.min(end, index);
    }
    String suffix = hostsAndMore.substring(end);
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : hostsAndMore.substring(0, end).split(",")) {
      if (!host.isBlank()) {
        seeds.add(RedisURI.create(scheme + userInfo + host.trim() + suffix));
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("a Redis Cluster URI needs at least one host:port");
    }
    return List.copyOf(seeds);
  }
}
