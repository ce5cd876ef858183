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
 *
 * <p>Every stream a publish appends to is bounded in count, in bytes and (recovery) in time by
 * {@link #BUDGET}: next to the stream, in its hash slot, a list holds each entry's id and size in
 * bytes ({@code <stream>:q}) and a counter their sum ({@code <stream>:b}); the oldest entries are
 * deleted ({@code XDEL}) while the stream is over a bound. Each entry is deleted once, so a
 * publish does constant work on average. A deleted recovery entry fails the recoveries from
 * before it; a deleted history entry is a gap to whoever resumes from before it.
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
   * The function {@code budget(stream, queue, total, id, size, most, maxBytes, before)} of the
   * scripts that append: records the entry {@code id} of {@code size} bytes just added to
   * {@code stream}, then deletes the oldest entries while there are more than {@code most}, they
   * hold more than {@code maxBytes}, or (when {@code before} is not nil) the oldest id's first part
   * is less than {@code before}. The new entry itself goes when it alone is over {@code maxBytes}.
   * An entry is charged its message and {@code overhead} bytes for its id and other fields.
   * Entries the list does not know (appended before streams had budgets) are trimmed once they are
   * older than its oldest; it returns true when it trimmed some, which {@code XTRIM}, unlike
   * {@code XDEL}, does not record in the stream.
   */
  static final String BUDGET = """
      local overhead = 32
      local function budget(stream, queue, total, id, size, most, maxBytes, before)
        local count = redis.call('RPUSH', queue, id .. ' ' .. size)
        local bytes = size
        if count == 1 then
          redis.call('SET', total, size)
        else
          bytes = redis.call('INCRBY', total, size)
        end
        local dropped = 0
        while count > 0 and (count > most or bytes > maxBytes or before) do
          local head = redis.call('LINDEX', queue, 0)
          local space = string.find(head, ' ', 1, true)
          local oldest = string.sub(head, 1, space - 1)
          if count <= most and bytes <= maxBytes and tonumber(string.match(oldest, '^%d+')) >= before then
            break
          end
          redis.call('LPOP', queue)
          redis.call('XDEL', stream, oldest)
          local freed = tonumber(string.sub(head, space + 1))
          bytes = bytes - freed
          dropped = dropped + freed
          count = count - 1
        end
        if count == 0 and dropped > 0 then
          redis.call('SET', total, 0)
        elseif dropped > 0 then
          redis.call('DECRBY', total, dropped)
        end
        if redis.call('XLEN', stream) > count then
          if count == 0 then
            return redis.call('XTRIM', stream, 'MAXLEN', 0) > 0
          end
          local head = redis.call('LINDEX', queue, 0)
          return redis.call('XTRIM', stream, 'MINID', string.sub(head, 1, string.find(head, ' ', 1, true) - 1)) > 0
        end
        return false
      end
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
   * KEYS: history stream, history meta, recovery stream, then the list and counter of the history
   * stream and of the recovery stream ({@link #BUDGET}). ARGV: 1 message, 2 kept in history (1/0),
   * 3 history max length, 4 history ttl ms, 5 meta ttl ms, 6 history lost (1/0: start a new epoch),
   * 7 the new epoch if one starts, 8 kept for recovery (1/0), 9 recovery window ms, 10 recovery max
   * length, 11 recovery lost (1/0: mark the loss), 12 history max bytes, 13 recovery max bytes,
   * 14.. channels to publish to, last the deadline ({@link #LATE}). Returns epoch, offset, recovery
   * id, µs time ('' for what is not kept); nothing when it came too late, and then nothing was
   * kept or published.
   */
  static final String PUBLISH = """
      local t = redis.call('TIME')
      """ + LATE + BUDGET + """
      local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local micros = t[1] .. string.format('%06d', tonumber(t[2]))
      local size = #ARGV[1] + overhead
      local epoch, offset, rid = '', '', ''
      if ARGV[2] == '1' then
        epoch = redis.call('HGET', KEYS[2], 'e')
        if (not epoch) or ARGV[6] == '1' then
          epoch = ARGV[7]
          redis.call('DEL', KEYS[1], KEYS[4], KEYS[5])
          redis.call('HSET', KEYS[2], 'e', epoch, 'o', 0)
        end
        offset = redis.call('HINCRBY', KEYS[2], 'o', 1)
        local id = redis.call('XADD', KEYS[1], offset .. '-1', 'm', ARGV[1], 't', string.format('%d', ms), 's', micros)
        budget(KEYS[1], KEYS[4], KEYS[5], id, size, tonumber(ARGV[3]), tonumber(ARGV[12]), nil)
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[4], ARGV[4])
        redis.call('PEXPIRE', KEYS[5], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
      end
      if ARGV[8] == '1' then
        local most, maxBytes, before = tonumber(ARGV[10]), tonumber(ARGV[13]), ms - tonumber(ARGV[9])
        if ARGV[11] == '1' then
          local lost = redis.call('XADD', KEYS[3], '*', 'lost', '1')
          budget(KEYS[3], KEYS[6], KEYS[7], lost, overhead, most, maxBytes, before)
        end
        if epoch ~= '' then
          rid = redis.call('XADD', KEYS[3], '*', 'm', ARGV[1], 'p', epoch .. ':' .. offset)
        else
          rid = redis.call('XADD', KEYS[3], '*', 'm', ARGV[1])
        end
        budget(KEYS[3], KEYS[6], KEYS[7], rid, size, most, maxBytes, before)
        local ttl = 2 * tonumber(ARGV[9])
        redis.call('PEXPIRE', KEYS[3], ttl)
        redis.call('PEXPIRE', KEYS[6], ttl)
        redis.call('PEXPIRE', KEYS[7], ttl)
      end
      local message = 'S' .. epoch .. ' ' .. offset .. ' ' .. rid .. ' ' .. micros .. '\\n' .. ARGV[1]
      for i = 14, #ARGV - 1 do
        redis.call('PUBLISH', ARGV[i], message)
      end
      return {epoch, tostring(offset), rid, micros}
      """;

  /**
   * The function {@code entrySize(entry)}: the bytes of the values of an entry as {@code XRANGE}
   * returns it, what reading it brings into the caller's memory.
   */
  static final String ENTRY_SIZE = """
      local function entrySize(entry)
        local size = 0
        local fields = entry[2]
        for i = 2, #fields, 2 do size = size + #fields[i] end
        return size
      end
      """;

  /**
   * KEYS: history stream, meta. ARGV: 1 epoch asked from ('' for the start), 2 offset asked from,
   * 3 most entries, 4 the new epoch if the stream has none, 5 meta ttl ms, 6 most bytes kept.
   * Returns epoch, last offset, 1 when the epoch was just made, and the entries after the asked
   * position (all when the epoch differs). When those hold more than the bytes (written under a
   * larger budget), the reader keeps only the newest entries that fit, as if the older ones had
   * been evicted: the entries returned start there, and the caller sees the gap by their offsets.
   */
  static final String SINCE = ENTRY_SIZE + """
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
        local bytes, most = 0, tonumber(ARGV[6])
        for i = 1, #entries do bytes = bytes + entrySize(entries[i]) end
        if bytes > most then
          local newest = redis.call('XREVRANGE', KEYS[1], '+', from)
          local kept = 0
          bytes = 0
          for i = 1, #newest do
            bytes = bytes + entrySize(newest[i])
            if bytes > most then break end
            kept = i
          end
          entries = {}
          for i = kept, math.max(1, kept - tonumber(ARGV[3]) + 1), -1 do
            entries[#entries + 1] = newest[i]
          end
        end
      end
      return {epoch, last, created, entries}
      """;

  /**
   * KEYS: the namespace's recovery stream. ARGV: 1 the client's offset, 2 most entries, 3 most
   * bytes. Returns nothing when the offset is no longer kept or what follows it is more than the
   * bytes, else the last id read (the offset itself when nothing follows it) and the entries after
   * the offset.
   */
  static final String MISSED = ENTRY_SIZE + """
      if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return {} end
      local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
      local bytes, most = 0, tonumber(ARGV[3])
      for i = 1, #entries do
        bytes = bytes + entrySize(entries[i])
        if bytes > most then return {} end
      end
      local last = ARGV[1]
      if #entries > 0 then last = entries[#entries][1] end
      return {last, entries}
      """;

  /**
   * The kept broadcast of one shard of a Redis Cluster: every key and the channel share one hash
   * slot, and the channel is sharded. KEYS: recovery stream, its list and counter
   * ({@link #BUDGET}), and when history keeps it the history stream, meta, list and counter. ARGV
   * as {@link #PUBLISH}, 14 the one channel, 15 the deadline. The recovery entry's id is the shard's
   * time in µs ({@code <µs>-<n>}, later than the stream's last id if the clock went back), so that
   * the ids of several streams order their entries in time; it is the offset clients resume from.
   * Entries beyond the recovery window, length or bytes are deleted rather than trimmed, so that
   * the stream records the last one removed.
   */
  static final String SHARD_PUBLISH = """
      local t = redis.call('TIME')
      """ + LATE + BUDGET + """
      local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local micros = t[1] .. string.format('%06d', tonumber(t[2]))
      local size = #ARGV[1] + overhead
      local epoch, offset, rid = '', '', ''
      if ARGV[2] == '1' then
        epoch = redis.call('HGET', KEYS[5], 'e')
        if (not epoch) or ARGV[6] == '1' then
          epoch = ARGV[7]
          redis.call('DEL', KEYS[4], KEYS[6], KEYS[7])
          redis.call('HSET', KEYS[5], 'e', epoch, 'o', 0)
        end
        offset = redis.call('HINCRBY', KEYS[5], 'o', 1)
        local id = redis.call('XADD', KEYS[4], offset .. '-1', 'm', ARGV[1], 't', string.format('%d', ms), 's', micros)
        budget(KEYS[4], KEYS[6], KEYS[7], id, size, tonumber(ARGV[3]), tonumber(ARGV[12]), nil)
        redis.call('PEXPIRE', KEYS[4], ARGV[4])
        redis.call('PEXPIRE', KEYS[6], ARGV[4])
        redis.call('PEXPIRE', KEYS[7], ARGV[4])
        redis.call('PEXPIRE', KEYS[5], ARGV[5])
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
      if ARGV[8] == '1' then
        local most, maxBytes = tonumber(ARGV[10]), tonumber(ARGV[13])
        local before = (ms - tonumber(ARGV[9])) * 1000
        if ARGV[11] == '1' then
          budget(KEYS[1], KEYS[2], KEYS[3], add('lost', '1'), overhead, most, maxBytes, before)
        end
        if epoch ~= '' then
          rid = add('m', ARGV[1], 'p', epoch .. ':' .. offset)
        else
          rid = add('m', ARGV[1])
        end
        if budget(KEYS[1], KEYS[2], KEYS[3], rid, size, most, maxBytes, before) then
          -- Trimmed entries leave no trace a read could see: recoveries from before this mark fail.
          budget(KEYS[1], KEYS[2], KEYS[3], add('lost', '1'), overhead, most, maxBytes, before)
        end
        local ttl = 2 * tonumber(ARGV[9])
        redis.call('PEXPIRE', KEYS[1], ttl)
        redis.call('PEXPIRE', KEYS[2], ttl)
        redis.call('PEXPIRE', KEYS[3], ttl)
      end
      local message = 'S' .. epoch .. ' ' .. offset .. ' ' .. rid .. ' ' .. micros .. '\\n' .. ARGV[1]
      for i = 14, #ARGV - 1 do
        redis.call('SPUBLISH', ARGV[i], message)
      end
      return {epoch, tostring(offset), rid, micros}
      """;

  /**
   * KEYS: a recovery stream of a Redis Cluster. ARGV: 1 the client's offset ({@code <µs>-<n>}),
   * 2 most entries, 3 most bytes. Returns 0 when entries after the offset were removed or are more
   * than the bytes, else 1, the entries after it (none when the stream is gone: nothing was kept in
   * it for twice the recovery window) and the stream's last id ('0-0' when it is gone).
   */
  static final String SHARD_SINCE = ENTRY_SIZE + """
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
      local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
      local bytes, most = 0, tonumber(ARGV[3])
      for i = 1, #entries do
        bytes = bytes + entrySize(entries[i])
        if bytes > most then return {0} end
      end
      return {1, entries, last}
      """;
}
