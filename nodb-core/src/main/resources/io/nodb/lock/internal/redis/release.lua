-- Deletes the lock if the token holds it and signals one waiter.
-- KEYS: lock, signal list, evicted-token hash. ARGV: token, signal ttl ms.
-- Returns OWNED, or why not: FORCED, CLEARED, TAKEN_OVER, EXPIRED.
local cur = redis.call('GET', KEYS[1])
local prefix = ARGV[1] .. '|'
if cur and string.sub(cur, 1, #prefix) == prefix then
  redis.call('DEL', KEYS[1])
  redis.call('DEL', KEYS[2])
  redis.call('RPUSH', KEYS[2], '1')
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return 'OWNED'
end
local evicted = redis.call('HGET', KEYS[3], ARGV[1])
if evicted then
  redis.call('HDEL', KEYS[3], ARGV[1])
  return string.match(evicted, '^[^|]*')
end
if cur then
  return 'TAKEN_OVER'
end
return 'EXPIRED'
