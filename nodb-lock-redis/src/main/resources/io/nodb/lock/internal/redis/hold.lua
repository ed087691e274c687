-- Releases the lock but keeps it until a deadline: if the token holds it, its expiry is set to
-- the given time from now (renewal has stopped; the key then expires on its own) and a waiter, if
-- one is flagged, is woken to re-read the TTL and wait for that instead.
-- KEYS: lock, evicted-token hash, signal list, wait flag. ARGV: token, hold ms (> 0), signal ttl
-- ms.
-- Returns OWNED, or why not: FORCED, CLEARED, TAKEN_OVER, EXPIRED.
local cur = redis.call('GET', KEYS[1])
local prefix = ARGV[1] .. '|'
if cur and string.sub(cur, 1, #prefix) == prefix then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  if redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('DEL', KEYS[3])
    redis.call('RPUSH', KEYS[3], '1')
    redis.call('PEXPIRE', KEYS[3], ARGV[3])
  end
  return 'OWNED'
end
local evicted = redis.call('HGET', KEYS[2], ARGV[1])
if evicted then
  redis.call('HDEL', KEYS[2], ARGV[1])
  return string.match(evicted, '^[^|]*')
end
if cur then
  return 'TAKEN_OVER'
end
return 'EXPIRED'
