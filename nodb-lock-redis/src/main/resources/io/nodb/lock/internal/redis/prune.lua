-- Removes run index entries whose lock is gone (expired, never released) and migrates their 0.1.0
-- per-name fence counters into the run's counter. KEYS: run index, run fence counter, then (lock,
-- 0.1.0 fence counter) pairs. ARGV: the lock names in KEYS order.
-- Returns the number of entries removed. Entries whose lock exists again are kept. A counter nodb
-- cannot use is left for force or clear to repair (the 0.1.0 counter is kept then).
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then
  return 0
end
local counter = redis.pcall('GET', KEYS[2])
local usable = counter == false or (type(counter) == 'string' and string.match(counter, '^%d+$') ~= nil and #counter <= 16)
local removed = 0
for i = 3, #KEYS, 2 do
  local name = ARGV[(i - 1) / 2]
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local old = redis.pcall('GET', KEYS[i + 1])
    if usable and type(old) == 'string' and string.match(old, '^%d+$') and #old <= 16 then
      if not counter or tonumber(old) > tonumber(counter) then
        redis.call('SET', KEYS[2], old)
        counter = old
      end
      redis.call('DEL', KEYS[i + 1])
    end
    redis.call('HDEL', KEYS[1], 'lock:' .. name)
    removed = removed + 1
  end
end
return removed
