-- Sets a key with a TTL and announces it on a channel in one step, so a subscriber either gets the
-- message or, if it subscribed too late, finds the key already set.
-- KEYS: the key. ARGV: value, ttl ms, channel, message prefix, '1' to append the value to the message.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[5] == '1' then
  redis.call('PUBLISH', ARGV[3], ARGV[4] .. ARGV[1])
else
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return 1
