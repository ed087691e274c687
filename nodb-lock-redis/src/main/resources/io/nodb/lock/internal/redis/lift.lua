-- Gives the holder a fence above a floor (after the fence counter was lost).
-- KEYS: lock, fence. ARGV: token, floor, fence bound (Fences.MAX).
-- Returns the holder's new fence, -1 if not the holder, or -2 if the new fence would exceed the
-- bound (nothing is changed then: the holder keeps its lock and its fence).
local cur = redis.call('GET', KEYS[1])
local prefix = ARGV[1] .. '|'
if not cur or string.sub(cur, 1, #prefix) ~= prefix then
  return -1
end
local token, held, rest = string.match(cur, '^([^|]*)|([^|]*)|(.*)$')
local bound = tonumber(ARGV[3])
if #ARGV[2] > #ARGV[3] or tonumber(ARGV[2]) >= bound then
  return -2
end
local floor = tonumber(ARGV[2])
if tonumber(held) > floor then
  return tonumber(held)
end
local raw = redis.pcall('GET', KEYS[2])
local counter = 0
if type(raw) == 'string' and string.match(raw, '^%d+$') then
  if #raw > #ARGV[3] then
    return -2
  end
  counter = tonumber(raw)
end
local fence = math.max(counter, floor) + 1
if fence > bound then
  return -2
end
-- A counter of the wrong type is replaced: the lift's floor is above every fence it could hold.
redis.call('DEL', KEYS[2])
redis.call('SET', KEYS[2], string.format('%d', fence))
redis.call('SET', KEYS[1], token .. '|' .. string.format('%d', fence) .. '|' .. rest, 'KEEPTTL')
return fence
