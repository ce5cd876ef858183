package dev.switchboard.redis;

/**
 * The Lua scripts of {@link RedisPresenceStore}, each atomic, so that of all the nodes touching a
 * room exactly one sees a member arrive or leave. Keys of a room ({@code KEYS}): 1 connections
 * (sorted set, score = expiry in epoch ms), 2 member of each connection (hash), 3 member info
 * by member id (hash), 4 places held for members about to arrive (sorted set, score = when the
 * place lapses, in epoch ms), 5 members announced gone because their entries expired (hash, member
 * id to 1) until they are back; each member's live connections are a sorted set at {@code prefix .. id}.
 */
final class PresenceScripts {
  private PresenceScripts() {}

  /**
   * ARGV: connection, member id, member json, expiry, now, key ttl, member key prefix, the deadline
   * ({@link StreamScripts#LATE}). Returns {1} when the member arrived, {0} otherwise; nothing when
   * it came too late, and then nothing changed. A place held for the member is given up: they are
   * counted as present now, and no longer as gone.
   */
  static final String ADD = """
      local t = redis.call('TIME')
      """ + StreamScripts.LATE + """
      redis.call('ZREM', KEYS[4], ARGV[2])
      redis.call('HDEL', KEYS[5], ARGV[2])
      local k = ARGV[7] .. ARGV[2]
      local live = redis.call('ZCOUNT', k, ARGV[5], '+inf')
      redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
      redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
      redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
      redis.call('ZADD', k, ARGV[4], ARGV[1])
      for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
      redis.call('PEXPIRE', k, ARGV[6])
      if live == 0 then return {1} end
      return {0}
      """;

  /**
   * ARGV: connection, now, member key prefix, the deadline ({@link StreamScripts#LATE}). Returns
   * {the member json} when that was their last live connection, {false} otherwise; nothing when it
   * came too late, and then nothing changed: a late removal would take a member out unannounced (its
   * answer went nowhere), whereas the entry left in place expires and is announced gone by a sweep.
   */
  static final String REMOVE = """
      local t = redis.call('TIME')
      """ + StreamScripts.LATE + """
      redis.call('ZREM', KEYS[1], ARGV[1])
      local mid = redis.call('HGET', KEYS[2], ARGV[1])
      if not mid then return {false} end
      redis.call('HDEL', KEYS[2], ARGV[1])
      local k = ARGV[3] .. mid
      redis.call('ZREM', k, ARGV[1])
      if redis.call('ZCOUNT', k, ARGV[2], '+inf') > 0 then return {false} end
      redis.call('DEL', k)
      local json = redis.call('HGET', KEYS[3], mid)
      if not json then return {false} end
      redis.call('HDEL', KEYS[3], mid)
      return {json}
      """;

  /**
   * ARGV: connection, hold (an expiry, epoch ms), member key prefix, key ttl, the deadline
   * ({@link StreamScripts#LATE}). Pushes the connection's expiry out to the hold, never in, and
   * keeps the room's keys at least the key ttl; returns {1}, or {0} when the connection is not
   * there (already swept, or removed); nothing when it came too late, and then nothing changed.
   */
  static final String HOLD = """
      local t = redis.call('TIME')
      """ + StreamScripts.LATE + """
      local mid = redis.call('HGET', KEYS[2], ARGV[1])
      if not mid then return {0} end
      local k = ARGV[3] .. mid
      redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
      redis.call('ZADD', k, 'GT', ARGV[2], ARGV[1])
      local ttl = tonumber(ARGV[4])
      for _, key in ipairs({KEYS[1], KEYS[2], KEYS[3], k}) do
        if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
      end
      return {1}
      """;

  /**
   * ARGV: now, member key prefix, how long a member is remembered as gone, the deadline
   * ({@link StreamScripts#LATE}). Drops expired connections; returns {the json of members left with
   * none}, and remembers them as gone; nothing when it came too late (its answer, which says whom to
   * announce, went nowhere), and then nothing changed.
   */
  static final String SWEEP = """
      local t = redis.call('TIME')
      """ + StreamScripts.LATE + """
      local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
      local gone = {}
      for _, conn in ipairs(expired) do
        redis.call('ZREM', KEYS[1], conn)
        local mid = redis.call('HGET', KEYS[2], conn)
        if mid then
          redis.call('HDEL', KEYS[2], conn)
          local k = ARGV[2] .. mid
          redis.call('ZREM', k, conn)
          if redis.call('ZCOUNT', k, ARGV[1], '+inf') == 0 then
            redis.call('DEL', k)
            local json = redis.call('HGET', KEYS[3], mid)
            if json then
              redis.call('HDEL', KEYS[3], mid)
              redis.call('HSET', KEYS[5], mid, 1)
              redis.call('PEXPIRE', KEYS[5], ARGV[3])
              table.insert(gone, json)
            end
          end
        end
      end
      return {gone}
      """;

  /**
   * ARGV: expiry, key ttl, member key prefix, now, then (connection, member id, member json,
   * unrecorded) quadruples, unrecorded being 1 for a connection whose {@link #ADD} never got an
   * answer, last the deadline ({@link StreamScripts#LATE}). Writes them again. Returns two lists of
   * member json: the members announced gone meanwhile (their entries expired), and the members of
   * unrecorded connections who had no live connection: both are present again, and only the caller
   * hears it. Nothing when it came too late (after a cut link healed, say): it would write stale
   * expiries, and tell no one whom it brought back.
   */
  static final String REFRESH = """
      local t = redis.call('TIME')
      """ + StreamScripts.LATE + """
      local expired, arrived, seen = {}, {}, {}
      for j = 5, #ARGV - 1, 4 do
        local mid = ARGV[j + 1]
        local k = ARGV[3] .. mid
        if not seen[mid] then
          seen[mid] = true
          local gone = redis.call('HDEL', KEYS[5], mid) == 1
          if redis.call('ZCOUNT', k, ARGV[4], '+inf') == 0 then
            if gone then
              table.insert(expired, ARGV[j + 2])
            elseif ARGV[j + 3] == '1' then
              table.insert(arrived, ARGV[j + 2])
            end
          end
        end
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[j])
        redis.call('HSET', KEYS[2], ARGV[j], mid)
        redis.call('HSET', KEYS[3], mid, ARGV[j + 2])
        redis.call('ZADD', k, ARGV[1], ARGV[j])
        redis.call('PEXPIRE', k, ARGV[2])
      end
      for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
      return {expired, arrived}
      """;

  /** ARGV: now. Returns the json of each member with a live connection, once. */
  static final String MEMBERS = """
      local conns = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
      local seen = {}
      local out = {}
      for _, conn in ipairs(conns) do
        local mid = redis.call('HGET', KEYS[2], conn)
        if mid and not seen[mid] then
          seen[mid] = true
          local json = redis.call('HGET', KEYS[3], mid)
          if json then table.insert(out, json) end
        end
      end
      return out
      """;

  /**
   * ARGV: member id, most members, now, when a new place lapses, key ttl. Returns 1 when the member
   * is present, holds a place (pushed back) or got one; 0 when the room has its most members,
   * counting both the present and those holding a place.
   */
  static final String RESERVE = """
      local seen = {}
      local count = 0
      for _, conn in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], '+inf')) do
        local mid = redis.call('HGET', KEYS[2], conn)
        if mid and not seen[mid] then
          seen[mid] = true
          count = count + 1
        end
      end
      if seen[ARGV[1]] then return 1 end
      redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[3])
      if redis.call('ZSCORE', KEYS[4], ARGV[1]) then
        redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
        redis.call('PEXPIRE', KEYS[4], ARGV[5])
        return 1
      end
      for _, mid in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
        if not seen[mid] then
          seen[mid] = true
          count = count + 1
        end
      end
      if count >= tonumber(ARGV[2]) then return 0 end
      redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
      redis.call('PEXPIRE', KEYS[4], ARGV[5])
      return 1
      """;
}
