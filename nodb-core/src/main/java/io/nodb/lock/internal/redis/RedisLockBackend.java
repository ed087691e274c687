package io.nodb.lock.internal.redis;

import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.LockBackend;
import io.nodb.lock.internal.LockValueCodec;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The distributed backend: one Lua script per operation, so every compare-and-act is atomic on the
 * server. Acquire is {@code SET NX PX} + fence {@code INCR} + run index in one script; release,
 * extend, force and clear check the token (or record the evicted token) in the same script that
 * acts. Waiters block on a per-key signal list ({@code BLPOP}) that release, force and clear push
 * to. Listing and clearing a run go through its index hash, never a keyspace scan.
 *
 * <p>Thread-safe. See {@link RedisKeys} for the key layout.
 */
public final class RedisLockBackend implements LockBackend {

  private static final long SIGNAL_TTL_MILLIS = 60_000;

  private final RedisConnection redis;
  private final Clock clock;

  /**
   * Creates the backend; connections are opened lazily.
   *
   * @param url the Redis URL
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size
   * @param clock the wall clock for audit timestamps
   * @throws IllegalArgumentException if the URL is invalid
   */
  public RedisLockBackend(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections, Clock clock) {
    this.redis =
        new RedisConnection(
            RedisEndpoint.parse(url),
            connectTimeout,
            readTimeout,
            maxConnections,
            Duration.ofSeconds(10));
    this.clock = clock;
  }

  @Override
  public AcquireAttempt tryAcquire(LockKey key, String token, OwnerStamp owner) {
    List<?> r =
        (List<?>)
            redis.eval(
                LuaScript.ACQUIRE,
                List.of(RedisKeys.lock(key), RedisKeys.fence(key), RedisKeys.runIndex(key.runId())),
                List.of(
                    token,
                    LockValueCodec.tail(owner),
                    Long.toString(owner.leaseMillis()),
                    key.name()));
    if (asLong(r.get(0)) == 1) {
      return AcquireAttempt.acquired(asLong(r.get(1)));
    }
    return AcquireAttempt.held(
        Optional.of(LockValueCodec.decode(key, (String) r.get(1), asLong(r.get(2)))));
  }

  @Override
  public OwnershipResult release(LockKey key, String token) {
    Object r =
        redis.eval(
            LuaScript.RELEASE,
            List.of(RedisKeys.lock(key), RedisKeys.signal(key), RedisKeys.evicted(key.runId())),
            List.of(token, Long.toString(SIGNAL_TTL_MILLIS)));
    return ownership(r);
  }

  @Override
  public OwnershipResult extend(LockKey key, String token, long leaseMillis) {
    Object r =
        redis.eval(
            LuaScript.EXTEND,
            List.of(RedisKeys.lock(key), RedisKeys.evicted(key.runId())),
            List.of(token, Long.toString(leaseMillis)));
    return ownership(r);
  }

  @Override
  public long liftFence(LockKey key, String token, long floor) {
    return asLong(
        redis.eval(
            LuaScript.LIFT,
            List.of(RedisKeys.lock(key), RedisKeys.fence(key)),
            List.of(token, Long.toString(floor))));
  }

  private static OwnershipResult ownership(Object reply) {
    String s = (String) reply;
    return "OWNED".equals(s)
        ? OwnershipResult.ownedByCaller()
        : OwnershipResult.lost(LossReason.valueOf(s));
  }

  @Override
  public Optional<LockInfo> owner(LockKey key) {
    return inspect(List.of(key)).stream().findFirst();
  }

  @Override
  public List<LockInfo> locks(String runId) {
    return inspect(indexedKeys(runId));
  }

  private List<LockKey> indexedKeys(String runId) {
    List<LockKey> keys = new ArrayList<>();
    for (String field : redis.hashFields(RedisKeys.runIndex(runId))) {
      if (field.startsWith(RedisKeys.INDEX_LOCK_PREFIX)) {
        keys.add(LockKey.of(runId, field.substring(RedisKeys.INDEX_LOCK_PREFIX.length())));
      }
    }
    keys.sort((a, b) -> a.name().compareTo(b.name()));
    return keys;
  }

  private List<LockInfo> inspect(List<LockKey> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<?> r =
        (List<?>)
            redis.eval(LuaScript.INSPECT, keys.stream().map(RedisKeys::lock).toList(), List.of());
    List<LockInfo> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Object value = r.get(2 * i);
      if (value instanceof String v) {
        out.add(LockValueCodec.decode(keys.get(i), v, asLong(r.get(2 * i + 1))));
      }
    }
    return out;
  }

  @Override
  public Optional<LockInfo> forceUnlock(LockKey key, String reason, String actor) {
    return evict(key.runId(), List.of(key), LossReason.FORCED, reason, actor).stream().findFirst();
  }

  @Override
  public List<LockInfo> clearRun(String runId, String reason, String actor) {
    return evict(runId, indexedKeys(runId), LossReason.CLEARED, reason, actor);
  }

  private List<LockInfo> evict(
      String runId, List<LockKey> keys, LossReason kind, String reason, String actor) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<String> redisKeys = new ArrayList<>();
    redisKeys.add(RedisKeys.evicted(runId));
    redisKeys.add(RedisKeys.audit(runId));
    List<String> args = new ArrayList<>();
    args.add(kind.name());
    args.add(reason);
    args.add(actor);
    args.add(Long.toString(clock.millis()));
    args.add(Long.toString(SIGNAL_TTL_MILLIS));
    for (LockKey k : keys) {
      redisKeys.add(RedisKeys.lock(k));
      redisKeys.add(RedisKeys.signal(k));
      args.add(k.name());
    }
    List<?> r = (List<?>) redis.eval(LuaScript.EVICT, redisKeys, args);
    List<LockInfo> out = new ArrayList<>();
    for (int i = 0; i + 2 < r.size(); i += 3) {
      LockKey k = LockKey.of(runId, (String) r.get(i));
      out.add(LockValueCodec.decode(k, (String) r.get(i + 1), asLong(r.get(i + 2))));
    }
    return out;
  }

  @Override
  public List<AuditEntry> audit(String runId, int limit) {
    List<AuditEntry> out = new ArrayList<>();
    for (Map<String, String> f : redis.streamNewestFirst(RedisKeys.audit(runId), limit)) {
      LockKey key = LockKey.of(runId, f.get("name"));
      out.add(
          new AuditEntry(
              Instant.ofEpochMilli(Long.parseLong(f.get("at"))),
              f.get("op"),
              key,
              f.get("reason"),
              f.get("actor"),
              LockValueCodec.decodeAudited(key, f.get("previous"))));
    }
    return out;
  }

  @Override
  public void awaitRelease(LockKey key, long maxNanos, int attempt) {
    redis.blockingPop(RedisKeys.signal(key), Duration.ofNanos(maxNanos));
  }

  @Override
  public Duration ping() {
    long start = System.nanoTime();
    redis.ping();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public String describe() {
    return redis.endpoint().toString();
  }

  @Override
  public void close() {
    redis.close();
  }

  private static long asLong(Object o) {
    return ((Number) o).longValue();
  }
}
