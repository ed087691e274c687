package io.nodb.testing.faults;

import io.nodb.lock.LockKey;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** {@link LockFaults} on the Redis key layout ({@code nodb-lock:{run}:name} and friends). */
final class RedisLockFaults implements LockFaults {

  private static final String CORRUPT =
      "local cur = redis.call('GET', KEYS[1]) "
          + "if not cur then return false end "
          + "local rest = string.sub(cur, #string.match(cur, '^[^|]*') + 1) "
          + "redis.call('SET', KEYS[1], ARGV[1] .. rest, 'KEEPTTL') return 1";

  private static final String ORPHAN =
      "if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end "
          + "local fence = redis.call('INCR', KEYS[2]) "
          + "redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fence .. '|' .. ARGV[2], 'PX', ARGV[3]) "
          + "redis.call('HSET', KEYS[3], 'lock:' .. ARGV[4], fence) return fence";

  private final Supplier<Jedis> connections;

  RedisLockFaults(Supplier<Jedis> connections) {
    this.connections = connections;
  }

  @Override
  public String corruptToken(LockKey key) {
    String token = DeadPid.newToken().replace("orphan", "corrupt");
    try (Jedis j = connections.get()) {
      if (j.eval(CORRUPT, List.of(lock(key)), List.of(token)) == null) {
        throw new IllegalStateException("cannot corrupt the token of free lock " + key);
      }
    }
    return token;
  }

  @Override
  public long orphan(LockKey key, Duration lease) {
    long pid = DeadPid.next();
    String tail =
        System.currentTimeMillis()
            + "|"
            + lease.toMillis()
            + "|"
            + DeadPid.host()
            + "|"
            + pid
            + "|orphan";
    try (Jedis j = connections.get()) {
      Object fence =
          j.eval(
              ORPHAN,
              List.of(
                  lock(key), tag("nodb-fence", key), "nodb-run:{" + key.namespace().tag() + "}"),
              List.of(DeadPid.newToken(), tail, Long.toString(lease.toMillis()), key.name()));
      long f = (Long) fence;
      if (f < 0) {
        throw new IllegalStateException("cannot orphan held lock " + key);
      }
      return f;
    }
  }

  @Override
  public void expireNow(LockKey key) {
    try (Jedis j = connections.get()) {
      j.pexpire(lock(key), 1);
      j.del(lock(key)); // the 1 ms expiry may not have run yet; an expired key is gone either way
    }
  }

  @Override
  public void overwriteForeign(LockKey key, String value, Duration ttl) {
    try (Jedis j = connections.get()) {
      j.set(lock(key), value, SetParams.setParams().px(ttl.toMillis()));
    }
  }

  private static String lock(LockKey key) {
    return tag("nodb-lock", key) + ":" + key.name();
  }

  private static String tag(String prefix, LockKey key) {
    return prefix + ":{" + key.namespace().tag() + "}";
  }
}
