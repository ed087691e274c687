-- Deletes the lock if the token holds it, removes it from the run index and, if someone waits
-- (the wait flag is set), signals one waiter.
-- KEYS: lock, signal list, evicted-token hash, run index, wait flag. ARGV: token, signal ttl ms,
-- name.
-- Returns OWNED, or why not: FORCED, CLEARED, TAKEN_OVER, EXPIRED.
local cur = redis.call('GET', KEYS[1])
local prefix = ARGV[1] .. '|'
if cur and string.sub(cur, 1, #prefix) == prefix then
  redis.call('DEL', KEYS[1])
  redis.pcall('HDEL', KEYS[4], 'lock:' .. ARGV[3])
  if redis.call('EXISTS', KEYS[5]) == 1 then
    redis.call('DEL', KEYS[2])
    redis.call('RPUSH', KEYS[2], '1')
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
  end
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
