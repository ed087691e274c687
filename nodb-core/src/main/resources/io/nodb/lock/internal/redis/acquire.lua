-- Takes the lock if free. KEYS: lock, fence, run index. ARGV: token, value tail, lease ms, name,
-- fence bound (Fences.MAX).
-- Returns {1, fence} when acquired; {0, current value, pttl} when held; {-1, counter} when the
-- fence counter is at the bound (the next fence would not fit a Lua number exactly); {-2, key,
-- type} when a key holds something nodb did not write (wrong type or a non-integer counter), which
-- an operator's force or clear repairs. Idempotent for one token: a retry after a lost reply finds
-- its own token and reports the acquisition again.
local cur = redis.pcall('GET', KEYS[1])
if type(cur) == 'table' and cur.err then
  return {-2, KEYS[1], redis.call('TYPE', KEYS[1]).ok}
end
if cur then
  local mine = string.match(cur, '^' .. ARGV[1]:gsub('%W', '%%%0') .. '|(%d+)|')
  if mine then
    return {1, tonumber(mine)}
  end
  return {0, cur, redis.call('PTTL', KEYS[1])}
end
-- INCR itself is exact (int64), but its reply becomes a Lua double: refuse before it can round.
local counter = redis.pcall('GET', KEYS[2])
if type(counter) == 'table' and counter.err then
  return {-2, KEYS[2], redis.call('TYPE', KEYS[2]).ok}
end
if counter then
  if not string.match(counter, '^%d+$') then
    return {-2, KEYS[2], 'string'}
  end
  if #counter > #ARGV[5] or tonumber(counter) >= tonumber(ARGV[5]) then
    return {-1, counter}
  end
end
-- string.format, not '..': Lua would print a fence of 10^14 or more as 1e+14.
local fence = string.format('%d', redis.call('INCR', KEYS[2]))
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fence .. '|' .. ARGV[2], 'PX', ARGV[3])
-- A run index of the wrong type is reported by listing and replaced by clear; it must not make
-- every acquisition of the run fail.
redis.pcall('HSET', KEYS[3], 'lock:' .. ARGV[4], fence)
return {1, tonumber(fence)}
