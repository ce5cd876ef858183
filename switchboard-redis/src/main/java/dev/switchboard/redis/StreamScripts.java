package dev.switchboard.redis;

/**
 * The Lua scripts of the shared streams, each atomic; on a Redis Cluster each touches the keys
 * and channel of one hash slot. A kept broadcast is given its positions, appended and published
 * in one script, so that the order of the streams is the order in which every node's
 * subscription connection receives the broadcasts.
 *
 * <p>A room's history is a stream whose entry ids are {@code <offset>-1} next to a meta hash
 * ({@code e} epoch, {@code o} last offset). On one Redis server a namespace's recovery stream has
 * Redis-made ids; on a Redis Cluster recovery streams have ids made of the shard's time in µs.
 * Either are the offsets clients resume from. Entries hold the broadcast as it is published
 * ({@code m}), its time in ms ({@code t}) and in µs ({@code s}, the order across rooms); a recovery
 * entry of a message that history keeps holds its history position too ({@code p}, {@code epoch:offset}),
 * so that a replay carries the position the live message had.
 */
final class StreamScripts {
  private StreamScripts() {}

  /**
   * The start of a script that publishes: {@code t} is Redis's {@code TIME}; the last ARGV is a
   * deadline in µs of Redis's clock (0 for none), past which the script does nothing and returns
   * nothing. A command that waited in a hung Redis for longer than its sender waits for the answer
   * must not publish late what the sender already handled as lost.
   */
  static final String LATE = """
      local deadline = tonumber(ARGV[#ARGV])
      if deadline > 0 and tonumber(t[1]) * 1000000 + tonumber(t[2]) > deadline then return {} end
      """;

  /**
   * KEYS: the channel. ARGV: 1 the message, 2 the deadline ({@link #LATE}). Publishes with
   * {@code PUBLISH}; returns {receivers}, or nothing when it came too late.
   */
  static final String PUBLISH_BEFORE = """
      local t = redis.call('TIME')
      """ + LATE + """
      return {redis.call('PUBLISH', KEYS[1], ARGV[1])}
      """;

  /** {@link #PUBLISH_BEFORE} of a Redis Cluster: {@code SPUBLISH} on the channel's shard. */
  static final String SHARD_PUBLISH_BEFORE = """
      local t = redis.call('TIME')
      """ + LATE + """
      return {redis.call('SPUBLISH', KEYS[1], ARGV[1])}
      """;

  /**
   * KEYS: history stream, history meta, recovery stream. ARGV: 1 message, 2 kept in history
   * (1/0), 3 history max length, 4 history ttl ms, 5 meta ttl ms, 6 history lost (1/0: start a new
   * epoch), 7 the new epoch if one starts, 8 kept for recovery (1/0), 9 recovery window ms,
   * 10 recovery max length, 11 recovery lost (1/0: mark the loss), 12.. channels to publish to,
   * last the deadline ({@link #LATE}). Returns epoch, offset, recovery id, µs time ('' for what is
   * not kept); nothing when it came too late, and then nothing was kept or published.
   */
  static final String PUBLISH = """
      local t = redis.call('TIME')
      """ + LATE + """
      local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local micros = t[1] .. string.format('%06d', tonumber(t[2]))
      local epoch, offset, rid = '', '', ''
      if ARGV[2] == '1' then
        epoch = redis.call('HGET', KEYS[2], 'e')
        if (not epoch) or ARGV[6] == '1' then
          epoch = ARGV[7]
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[2], 'e', epoch, 'o', 0)
        end
        offset = redis.call('HINCRBY', KEYS[2], 'o', 1)
        redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], offset .. '-1', 'm', ARGV[1], 't', string.format('%d', ms), 's', micros)
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
      end
      if ARGV[8] == '1' then
        if ARGV[11] == '1' then
          redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[10], '*', 'lost', '1')
        end
        if epoch ~= '' then
          rid = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[10], '*', 'm', ARGV[1], 'p', epoch .. ':' .. offset)
        else
          rid = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[10], '*', 'm', ARGV[1])
        end
        redis.call('XTRIM', KEYS[3], 'MINID', '~', string.format('%d', ms - tonumber(ARGV[9])))
        redis.call('PEXPIRE', KEYS[3], 2 * tonumber(ARGV[9]))
      end
      local message = 'S' .. epoch .. ' ' .. offset .. ' ' .. rid .. ' ' .. micros .. '\\n' .. ARGV[1]
      for i = 12, #ARGV - 1 do
        redis.call('PUBLISH', ARGV[i], message)
      end
      return {epoch, tostring(offset), rid, micros}
      """;

  /**
   * KEYS: history stream, meta. ARGV: 1 epoch asked from ('' for the start), 2 offset asked from,
   * 3 most entries, 4 the new epoch if the stream has none, 5 meta ttl ms. Returns epoch, last
   * offset, 1 when the epoch was just made, the entries after the asked position (all when the
   * epoch differs).
   */
  static final String SINCE = """
      local epoch = redis.call('HGET', KEYS[2], 'e')
      local created = 0
      if not epoch then
        epoch = ARGV[4]
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'e', epoch, 'o', 0)
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        created = 1
      end
      local last = redis.call('HGET', KEYS[2], 'o')
      local from = '-'
      if ARGV[1] == epoch then from = '(' .. ARGV[2] .. '-1' end
      local entries = {}
      if tonumber(ARGV[3]) > 0 then
        entries = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', ARGV[3])
      end
      return {epoch, last, created, entries}
      """;

  /**
   * KEYS: the namespace's recovery stream. ARGV: 1 the client's offset, 2 most entries. Returns
   * nothing when the offset is no longer kept, else the last id read (the offset itself when
   * nothing follows it) and the entries after the offset.
   */
  static final String MISSED = """
      if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return {} end
      local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
      local last = ARGV[1]
      if #entries > 0 then last = entries[#entries][1] end
      return {last, entries}
      """;

  /**
   * The kept broadcast of one shard of a Redis Cluster: every key and the channel share one hash
   * slot, and the channel is sharded. KEYS: recovery stream, and the history stream and meta when
   * history keeps it. ARGV as {@link #PUBLISH}, 12 the one channel, 13 the deadline. The recovery entry's id is the
   * shard's time in µs ({@code <µs>-<n>}, later than the stream's last id if the clock went back),
   * so that the ids of several streams order their entries in time; it is the offset clients
   * resume from. Entries beyond the recovery window or length are deleted (at most 100 each time)
   * rather than trimmed, so that the stream records the last one removed.
   */
  static final String SHARD_PUBLISH = """
      local t = redis.call('TIME')
      """ + LATE + """
      local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local micros = t[1] .. string.format('%06d', tonumber(t[2]))
      local epoch, offset, rid = '', '', ''
      if ARGV[2] == '1' then
        epoch = redis.call('HGET', KEYS[3], 'e')
        if (not epoch) or ARGV[6] == '1' then
          epoch = ARGV[7]
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[3], 'e', epoch, 'o', 0)
        end
        offset = redis.call('HINCRBY', KEYS[3], 'o', 1)
        redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], offset .. '-1', 'm', ARGV[1], 't', string.format('%d', ms), 's', micros)
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
      end
      local function add(...)
        local id = redis.pcall('XADD', KEYS[1], micros .. '-*', ...)
        if type(id) == 'table' and id.err then
          local info = redis.call('XINFO', 'STREAM', KEYS[1])
          local last = '0-0'
          for i = 1, #info, 2 do
            if info[i] == 'last-generated-id' then last = info[i + 1] end
          end
          id = redis.call('XADD', KEYS[1], string.match(last, '^%d+') .. '-*', ...)
        end
        return id
      end
      local function drop(entries)
        if #entries == 0 then return end
        local ids = {}
        for i, entry in ipairs(entries) do ids[i] = entry[1] end
        redis.call('XDEL', KEYS[1], unpack(ids))
      end
      if ARGV[8] == '1' then
        if ARGV[11] == '1' then add('lost', '1') end
        if epoch ~= '' then
          rid = add('m', ARGV[1], 'p', epoch .. ':' .. offset)
        else
          rid = add('m', ARGV[1])
        end
        local oldest = string.format('%d', (ms - tonumber(ARGV[9])) * 1000)
        drop(redis.call('XRANGE', KEYS[1], '-', '(' .. oldest .. '-0', 'COUNT', 100))
        local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[10])
        if excess > 0 then drop(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', math.min(excess, 100))) end
        redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[9]))
      end
      local message = 'S' .. epoch .. ' ' .. offset .. ' ' .. rid .. ' ' .. micros .. '\\n' .. ARGV[1]
      for i = 12, #ARGV - 1 do
        redis.call('SPUBLISH', ARGV[i], message)
      end
      return {epoch, tostring(offset), rid, micros}
      """;

  /**
   * KEYS: a recovery stream of a Redis Cluster. ARGV: 1 the client's offset ({@code <µs>-<n>}),
   * 2 most entries. Returns 0 when entries after the offset were removed, else 1, the entries
   * after it (none when the stream is gone: nothing was kept in it for twice the recovery window)
   * and the stream's last id ('0-0' when it is gone).
   */
  static final String SHARD_SINCE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return {1, {}, '0-0'} end
      local info = redis.call('XINFO', 'STREAM', KEYS[1])
      local deleted, last = '0-0', '0-0'
      for i = 1, #info, 2 do
        if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
        if info[i] == 'last-generated-id' then last = info[i + 1] end
      end
      local dms, dseq = string.match(deleted, '^(%d+)-(%d+)$')
      local oms, oseq = string.match(ARGV[1], '^(%d+)-(%d+)$')
      dms, dseq, oms, oseq = tonumber(dms), tonumber(dseq), tonumber(oms), tonumber(oseq)
      if dms > oms or (dms == oms and dseq > oseq) then return {0} end
      return {1, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2]), last}
      """;
}
