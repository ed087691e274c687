-- Takes the lock if free. KEYS: lock, fence, run index. ARGV: token, value tail, lease ms, name.
-- Returns {1, fence} when acquired, else {0, current value, pttl}. Idempotent for one token: a
-- retry after a lost reply finds its own token and reports the acquisition again.
local cur = redis.call('GET', KEYS[1])
if cur then
  local mine = string.match(cur, '^' .. ARGV[1]:gsub('%W', '%%%0') .. '|(%d+)|')
  if mine then
    return {1, tonumber(mine)}
  end
  return {0, cur, redis.call('PTTL', KEYS[1])}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fence .. '|' .. ARGV[2], 'PX', ARGV[3])
redis.call('HSET', KEYS[3], 'lock:' .. ARGV[4], fence)
return {1, fence}
