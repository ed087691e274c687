-- Frees locks whoever holds them: forced unlock (one key) or clear (all keys of a run), and
-- repairs what something other than nodb left at those keys.
-- KEYS: evicted-token hash, audit stream, run index, call result, the run's fence counter, then
-- (lock, signal, 0.1.0 per-name fence counter) triples.
-- ARGV: kind (FORCED or CLEARED), reason, actor, now ms, signal ttl ms, call result ttl ms,
-- '1' to delete a run index that is not a hash, the count F of foreign index fields to delete,
-- those F fields, then the lock names in KEYS order, then the expected token digest ('' for
-- none: a forced unlock that must evict exactly the holder the operator saw).
-- Returns {name, value, pttl, type, ...} for every lock that was held: type 'string' for a lock
-- value (nodb's or foreign), or the Redis type of a key that was not a string (then value is '').
-- With an expected digest and a holder whose token has another digest, nothing is changed and
-- the result is {name, value, pttl, 'changed'}.
--
-- Idempotent per call: the result is kept at the call-result key for the call result ttl, and a
-- retry of the same call (same key) returns it without evicting or auditing again.
local done = redis.call('GET', KEYS[4])
if done then
  return cjson.decode(done)
end
local namesCount = (#KEYS - 5) / 3
local expected = ARGV[9 + tonumber(ARGV[8]) + namesCount]
if expected and expected ~= '' then
  for i = 6, #KEYS, 3 do
    local t = redis.call('TYPE', KEYS[i]).ok
    if t == 'string' then
      local cur = redis.call('GET', KEYS[i])
      local token = string.match(cur, '^[^|]*')
      if string.sub(redis.sha1hex(token), 1, 8) ~= expected then
        return {ARGV[9 + tonumber(ARGV[8]) + (i - 6) / 3], cur, redis.call('PTTL', KEYS[i]), 'changed'}
      end
    elseif t ~= 'none' then
      return {ARGV[9 + tonumber(ARGV[8]) + (i - 6) / 3], '', redis.call('PTTL', KEYS[i]), 'changed'}
    end
  end
end
-- A script stops at its first error with what it wrote so far kept, so nodb's own keys of another
-- type (written by something else) are removed before anything is changed.
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then
  redis.call('DEL', KEYS[1])
end
if redis.call('TYPE', KEYS[2]).ok ~= 'stream' then
  redis.call('DEL', KEYS[2])
end
local out = {}
local now = tonumber(ARGV[4])
local op = ARGV[1] == 'FORCED' and 'force' or 'clear'
local foreignCount = tonumber(ARGV[8])
local firstName = 9 + foreignCount

local function audit(name, reason, previous)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', '1000', '*',
    'op', op, 'name', name, 'reason', reason, 'actor', ARGV[3],
    'at', ARGV[4], 'previous', previous)
end

local function wake(signal)
  redis.call('DEL', signal)
  redis.call('RPUSH', signal, '1')
  redis.call('PEXPIRE', signal, ARGV[5])
end

local indexType = redis.call('TYPE', KEYS[3]).ok
if indexType ~= 'hash' and indexType ~= 'none' and ARGV[7] == '1' then
  redis.call('DEL', KEYS[3])
  indexType = 'none'
end
if indexType == 'hash' then
  for f = 9, 8 + foreignCount do
    redis.call('HDEL', KEYS[3], ARGV[f])
  end
end

local fenceKey = KEYS[5]
for i = 6, #KEYS, 3 do
  local name = ARGV[firstName + (i - 6) / 3]
  local lockKey, signal, oldFenceKey = KEYS[i], KEYS[i + 1], KEYS[i + 2]
  local held = nil
  local t = redis.call('TYPE', lockKey).ok
  if t == 'string' then
    local cur = redis.call('GET', lockKey)
    local pttl = redis.call('PTTL', lockKey)
    redis.call('DEL', lockKey)
    local token = string.match(cur, '^[^|]*')
    held = string.match(cur, '^[^|]*|(%d+)|')
    -- nodb tokens are short; a huge foreign value has no nodb holder to tell, so it is not kept.
    if #token <= 256 then
      redis.call('HSET', KEYS[1], token, ARGV[1] .. '|' .. ARGV[4])
    end
    wake(signal)
    audit(name, ARGV[2],
      string.sub(redis.sha1hex(token), 1, 8) .. string.sub(cur, #token + 1, #token + 1024))
    out[#out + 1] = name
    out[#out + 1] = cur
    out[#out + 1] = pttl
    out[#out + 1] = t
  elseif t ~= 'none' then
    -- Not a lock value at all: nothing can hold it, so it is deleted and the deletion audited.
    local pttl = redis.call('PTTL', lockKey)
    redis.call('DEL', lockKey)
    wake(signal)
    audit(name, ARGV[2] .. ' (deleted a foreign ' .. t .. ' at the lock key)', 'foreign ' .. t)
    out[#out + 1] = name
    out[#out + 1] = ''
    out[#out + 1] = pttl
    out[#out + 1] = t
  end
  -- The run's fence counter must never go back: it is raised to what the index, the evicted value
  -- and a 0.1.0 per-name counter record, and a counter nodb cannot use (another type, not an
  -- integer) is replaced by that. The 0.1.0 counter is then deleted (foreign ones too, audited).
  local recorded = 0
  if indexType == 'hash' then
    local v = redis.call('HGET', KEYS[3], 'lock:' .. name)
    if v and string.match(v, '^%d+$') and #v <= 16 then
      recorded = tonumber(v)
    end
  end
  if held and #held <= 16 and tonumber(held) > recorded then
    recorded = tonumber(held)
  end
  local oldRaw = redis.pcall('GET', oldFenceKey)
  if type(oldRaw) == 'string' and string.match(oldRaw, '^%d+$') and #oldRaw <= 16 then
    if tonumber(oldRaw) > recorded then
      recorded = tonumber(oldRaw)
    end
    redis.call('DEL', oldFenceKey)
  elseif oldRaw then
    redis.call('DEL', oldFenceKey)
    audit(name, ARGV[2] .. ' (deleted a foreign per-name fence counter)', 'foreign fence counter')
  end
  local raw = redis.pcall('GET', fenceKey)
  local usable = type(raw) ~= 'table' and (not raw or string.match(raw, '^%d+$') ~= nil)
  if not usable then
    redis.call('DEL', fenceKey)
    redis.call('SET', fenceKey, string.format('%d', recorded))
    audit(name, ARGV[2] .. ' (replaced a foreign fence counter with ' .. string.format('%d', recorded) .. ')',
      'foreign fence counter')
  elseif recorded > 0 and (not raw or (#raw <= 16 and tonumber(raw) < recorded)) then
    redis.call('SET', fenceKey, string.format('%d', recorded))
  end
  -- The lock is free now: the index holds held locks only.
  if indexType == 'hash' then
    redis.call('HDEL', KEYS[3], 'lock:' .. name)
  end
end
if #out > 0 then
  redis.call('PEXPIRE', KEYS[1], 3600000)
  if redis.call('HLEN', KEYS[1]) > 256 then
    local all = redis.call('HGETALL', KEYS[1])
    for j = 1, #all, 2 do
      local at = tonumber(string.match(all[j + 1], '|(%d+)$'))
      if at and at < now - 600000 then
        redis.call('HDEL', KEYS[1], all[j])
      end
    end
  end
end
redis.call('SET', KEYS[4], cjson.encode(out), 'PX', ARGV[6])
return out
