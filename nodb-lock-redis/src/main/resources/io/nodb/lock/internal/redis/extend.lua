-- Resets the lock's expiry if the token holds it.
-- KEYS: lock, evicted-token hash. ARGV: token, lease ms.
-- Returns OWNED, or why not: FORCED, CLEARED, TAKEN_OVER, EXPIRED.
local cur = redis.call('GET', KEYS[1])
local prefix = ARGV[1] .. '|'
if cur and string.sub(cur, 1, #prefix) == prefix then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 'OWNED'
end
local evicted = redis.call('HGET', KEYS[2], ARGV[1])
if evicted then
  return string.match(evicted, '^[^|]*')
end
if cur then
  return 'TAKEN_OVER'
end
return 'EXPIRED'
