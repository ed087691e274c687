-- Takes the lock if free. KEYS: lock, the run's fence counter, run index, the key's 0.1.0 fence
-- counter (migrated and deleted when found), wait flag.
-- ARGV: token, value tail, lease ms, name, fence bound (Fences.MAX), '1' if the caller will wait
-- for a release when the lock is held (then the wait flag is set, so the release signals), the
-- token prefix of the caller's client ('' for none: a holder with that prefix wakes the caller in
-- its own process, so no flag is set for it).
-- Returns {1, fence} when acquired; {0, current value, pttl} when held; {-1, counter} when the
-- fence counter is at the bound (the next fence would not fit a Lua number exactly); {-2, key,
-- type} when a key holds something nodb did not write (wrong type or a non-integer counter), which
-- an operator's force or clear repairs. Idempotent for one token: a retry after a lost reply finds
-- its own token and reports the acquisition again.
--
-- Fences come from one counter per run: every fence of every key of the run is drawn from one
-- strictly increasing sequence, so the fences of each key are strictly increasing too, and no key
-- is left behind by a name once its lock is released.
local cur = redis.pcall('GET', KEYS[1])
if type(cur) == 'table' and cur.err then
  return {-2, KEYS[1], redis.call('TYPE', KEYS[1]).ok}
end
if cur then
  local mine = string.match(cur, '^' .. ARGV[1]:gsub('%W', '%%%0') .. '|(%d+)|')
  if mine then
    return {1, tonumber(mine)}
  end
  local pttl = redis.call('PTTL', KEYS[1])
  local tag = ARGV[7] or ''
  if ARGV[6] == '1' and (tag == '' or string.sub(cur, 1, #tag) ~= tag) then
    -- The waiter re-checks at the holder's TTL or after a capped BLPOP (10 s), and sets the flag
    -- again then: it only has to outlive that.
    local flag = 11000
    if pttl >= 0 and pttl < 10000 then
      flag = pttl + 1000
    end
    redis.call('SET', KEYS[5], '1', 'PX', flag)
  end
  return {0, cur, pttl}
end
-- INCR itself is exact (int64), but its reply becomes a Lua double: refuse before it can round.
local function counterOf(key)
  local v = redis.pcall('GET', key)
  if type(v) == 'table' and v.err then
    return nil, {-2, key, redis.call('TYPE', key).ok}
  end
  if v and not string.match(v, '^%d+$') then
    return nil, {-2, key, 'string'}
  end
  return v, nil
end
local counter, bad = counterOf(KEYS[2])
if bad then
  return bad
end
local old
old, bad = counterOf(KEYS[4])
if bad then
  return bad
end
if old then
  -- A 0.1.0 per-name counter: the run's counter takes over above it, and it goes away.
  -- Numbers longer than the bound's digits are over it, whichever is picked.
  if not counter or #old > #counter or (#old <= 16 and #counter <= 16 and tonumber(old) > tonumber(counter)) then
    redis.call('SET', KEYS[2], old)
    counter = old
  end
  redis.call('DEL', KEYS[4])
end
if counter and (#counter > #ARGV[5] or tonumber(counter) >= tonumber(ARGV[5])) then
  return {-1, counter}
end
-- string.format, not '..': Lua would print a fence of 10^14 or more as 1e+14.
local fence = string.format('%d', redis.call('INCR', KEYS[2]))
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fence .. '|' .. ARGV[2], 'PX', ARGV[3])
-- A run index of the wrong type is reported by listing and replaced by clear; it must not make
-- every acquisition of the run fail.
redis.pcall('HSET', KEYS[3], 'lock:' .. ARGV[4], fence)
return {1, tonumber(fence)}
