-- Frees locks whoever holds them: forced unlock (one key) or clear (all keys of a run).
-- KEYS: evicted-token hash, audit stream, then (lock, signal) pairs.
-- ARGV: kind (FORCED or CLEARED), reason, actor, now ms, signal ttl ms, then the names in order.
-- Returns {name, value, pttl, ...} for every lock that was held.
local out = {}
local now = tonumber(ARGV[4])
local op = ARGV[1] == 'FORCED' and 'force' or 'clear'
for i = 3, #KEYS, 2 do
  local cur = redis.call('GET', KEYS[i])
  if cur then
    local name = ARGV[6 + (i - 3) / 2]
    local pttl = redis.call('PTTL', KEYS[i])
    redis.call('DEL', KEYS[i])
    local token = string.match(cur, '^[^|]*')
    redis.call('HSET', KEYS[1], token, ARGV[1] .. '|' .. ARGV[4])
    redis.call('DEL', KEYS[i + 1])
    redis.call('RPUSH', KEYS[i + 1], '1')
    redis.call('PEXPIRE', KEYS[i + 1], ARGV[5])
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', '1000', '*',
      'op', op, 'name', name, 'reason', ARGV[2], 'actor', ARGV[3],
      'at', ARGV[4], 'previous', string.sub(redis.sha1hex(token), 1, 8) .. string.sub(cur, #token + 1))
    out[#out + 1] = name
    out[#out + 1] = cur
    out[#out + 1] = pttl
  end
end
if #out > 0 then
  redis.call('PEXPIRE', KEYS[1], 3600000)
  if redis.call('HLEN', KEYS[1]) > 256 then
    local all = redis.call('HGETALL', KEYS[1])
    for j = 1, #all, 2 do
      local at = tonumber(string.match(all[j + 1], '|(%d+)$'))
      if at and at < now - 600000 then
        redis.call('HDEL', KEYS[1], all[j])
      end
    end
  end
end
return out
