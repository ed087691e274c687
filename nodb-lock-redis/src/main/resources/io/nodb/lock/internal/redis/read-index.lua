-- Reads a run index whatever it holds. KEYS: run index.
-- Returns {'hash', field, value, ...}, or {type} when the key is missing ('none') or is not a hash.
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'hash' then
  return {t}
end
local out = redis.call('HGETALL', KEYS[1])
table.insert(out, 1, t)
return out
