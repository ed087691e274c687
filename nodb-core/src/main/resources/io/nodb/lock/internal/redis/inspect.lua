-- Reads locks with their TTLs in one round trip. KEYS: lock keys.
-- Returns {value or false, pttl, ...} in KEYS order.
local out = {}
for i = 1, #KEYS do
  local cur = redis.call('GET', KEYS[i])
  out[#out + 1] = cur
  out[#out + 1] = cur and redis.call('PTTL', KEYS[i]) or -2
end
return out
