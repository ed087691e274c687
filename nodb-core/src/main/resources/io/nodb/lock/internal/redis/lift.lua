-- Gives the holder a fence above a floor (after the fence counter was lost).
-- KEYS: lock, fence. ARGV: token, floor. Returns the holder's new fence, or -1 if not the holder.
local cur = redis.call('GET', KEYS[1])
local prefix = ARGV[1] .. '|'
if not cur or string.sub(cur, 1, #prefix) ~= prefix then
  return -1
end
local token, held, rest = string.match(cur, '^([^|]*)|([^|]*)|(.*)$')
local floor = tonumber(ARGV[2])
if tonumber(held) > floor then
  return tonumber(held)
end
local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
local fence = math.max(counter, floor) + 1
redis.call('SET', KEYS[2], fence)
redis.call('SET', KEYS[1], token .. '|' .. fence .. '|' .. rest, 'KEEPTTL')
return fence
