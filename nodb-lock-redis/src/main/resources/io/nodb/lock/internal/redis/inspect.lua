-- Reads locks with their TTLs in one round trip. KEYS: lock keys.
-- Returns {value or false, pttl, type, ...} in KEYS order; a key of another type than a string
-- gives {false, pttl, its type} (something nodb did not write, reported as a foreign holder).
local out = {}
for i = 1, #KEYS do
  local t = redis.call('TYPE', KEYS[i]).ok
  if t == 'string' then
    out[#out + 1] = redis.call('GET', KEYS[i])
  else
    out[#out + 1] = false
  end
  out[#out + 1] = t ~= 'none' and redis.call('PTTL', KEYS[i]) or -2
  out[#out + 1] = t
end
return out
