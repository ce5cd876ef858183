package dev.switchboard.redis;

/**
 * The Lua scripts of {@link RedisRoomOccupancy}, each atomic on one room's keys, so that of all
 * the nodes touching a room exactly one sees it become occupied and one sees it become vacated.
 * Keys of a room ({@code KEYS}): 1 the nodes with members in it (sorted set, score = entry expiry
 * in epoch ms), 2 the sequence of its last change. Each script answers the changes it decided as
 * a flat list of (kind, sequence) pairs, kind 1 for occupied and 0 for vacated; the sweep answers
 * {@code {2}} for a room that still has live nodes.
 */
final class OccupancyScripts {
  private OccupancyScripts() {}

  /**
   * The next sequence of the room's changes: Redis's clock in microseconds, at least one more than
   * the last one (kept for a while in KEYS[2]).
   */
  private static final String NEXT_SEQUENCE = """
      local function nextseq(ttl)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local last = tonumber(redis.call('GET', KEYS[2]) or '0')
        if now <= last then now = last + 1 end
        redis.call('SET', KEYS[2], string.format('%.0f', now), 'PX', ttl)
        return now
      end
      """;

  /**
   * This node has members in the room (its first one, or a refresh). ARGV: node, expiry, now, key
   * ttl, sequence ttl. A live entry of this node is pushed forward without a change; otherwise
   * expired entries (of nodes that stopped) go, and an empty room becomes occupied, after being
   * reported vacated when it held only expired entries.
   */
  static final String ENTER = NEXT_SEQUENCE + """
      local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      if mine and tonumber(mine) > tonumber(ARGV[3]) then return {} end
      local stale = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
      if mine then stale = stale + 1 end
      if redis.call('ZCARD', KEYS[1]) > 1 then return {} end
      local out = {}
      if stale > 0 then
        out[1] = 0
        out[2] = nextseq(ARGV[5])
      end
      table.insert(out, 1)
      table.insert(out, nextseq(ARGV[5]))
      return out
      """;

  /**
   * This node's last member left. ARGV: node, now, sequence ttl. Nothing when its entry was already
   * gone (swept as expired); vacated when no live entry is left.
   */
  static final String LEAVE = NEXT_SEQUENCE + """
      if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return {} end
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
      if redis.call('ZCARD', KEYS[1]) > 0 then return {} end
      redis.call('DEL', KEYS[1])
      return {0, nextseq(ARGV[3])}
      """;

  /**
   * Drops the expired entries of a room found in the index. ARGV: now, sequence ttl. {@code {2}}
   * while a live entry is left; vacated when only expired ones were.
   */
  static final String SWEEP = NEXT_SEQUENCE + """
      local stale = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      if redis.call('ZCARD', KEYS[1]) > 0 then return {2} end
      redis.call('DEL', KEYS[1])
      if stale == 0 then return {} end
      return {0, nextseq(ARGV[2])}
      """;

  /**
   * Forgets a room of the index (KEYS[1]) unless it was written again since it expired. ARGV:
   * the room's scoped name, now.
   */
  static final String FORGET = """
      local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if score and tonumber(score) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
      return 0
      """;
}
