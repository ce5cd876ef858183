package dev.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A small hash every node of a cluster shares, for the state of features built on it (the
 * recording consent of calls): string fields and values, the whole hash expiring a fixed time
 * after its last change. Operations fail when Redis cannot answer; none blocks.
 */
public final class SharedHash {
  /** KEYS: the hash. ARGV: ttl in ms, then field, value pairs. */
  private static final String PUT = """
      for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return 1
      """;
  /** KEYS: the hash. ARGV: ttl in ms, then fields. */
  private static final String REMOVE = """
      for i = 2, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
      if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return 1
      """;

  private final RedisConnections redis;
  private final byte[] key;
  private final Duration ttl;

  SharedHash(RedisConnections redis, String key, Duration ttl) {
    this.redis = redis;
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
  }

  /** Every field and its value; empty when the hash does not exist (or expired). */
  public CompletableFuture<Map<String, String>> entries() {
    return redis.<Map<byte[], byte[]>>send(c -> c.hgetall(key)).thenApply(found -> {
      Map<String, String> entries = new LinkedHashMap<>();
      found.forEach((field, value) -> entries.put(text(field), text(value)));
      return entries;
    });
  }

  /** Sets {@code field} to {@code value} and renews the hash's expiry, atomically. */
  public CompletableFuture<Void> put(String field, String value) {
    return run(PUT, bytes(Long.toString(ttl.toMillis())), bytes(field), bytes(value));
  }

  /** Removes {@code fields} and renews the hash's expiry, atomically. */
  public CompletableFuture<Void> remove(String... fields) {
    byte[][] args = new byte[fields.length + 1][];
    args[0] = bytes(Long.toString(ttl.toMillis()));
    for (int i = 0; i < fields.length; i++) {
      args[i + 1] = bytes(fields[i]);
    }
    return run(REMOVE, args);
  }

  private CompletableFuture<Void> run(String script, byte[]... args) {
    return redis.send(c -> c.<Long>eval(script, ScriptOutputType.INTEGER, new byte[][] {key}, args)).thenApply(done -> null);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
