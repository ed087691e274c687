package io.nodb.lock.internal.redis;

import io.nodb.InvalidRunIdException;
import io.nodb.NoDbException;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.FenceLimitException;
import io.nodb.lock.Fences;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockHolderChangedException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.LockBackend;
import io.nodb.lock.internal.LockValueCodec;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import io.nodb.lock.internal.RedisEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed backend: one Lua script per operation, so every compare-and-act is atomic on the
 * server. Acquire is {@code SET PX} + {@code INCR} of the run's one fence counter + run index entry
 * in one script; release, hold-at-least, extend, force and clear check the token (or record the
 * evicted token) in the same script that acts. Redis holds what is held: a release deletes the lock
 * and its index entry, and leaves no per-name key behind. Waiters block on a per-key signal list
 * ({@code BLPOP}); a waiting acquire flags itself in its attempt, and release pushes the signal
 * only when that flag is set (force and clear always do). Listing and clearing a run go through its
 * index hash, never a keyspace scan; listing removes the entries of locks that expired. Fence
 * counters of nodb 0.1.0 (one per name) are folded into the run's counter as they are met.
 *
 * <p>Keys written by something other than nodb (a foreign field in a run index, a lock or fence key
 * of another type, a counter that is not an integer) are reported with a WARN naming key and field
 * and skipped by listing; force and clear repair them (see {@code evict.lua}). Fences never exceed
 * {@link Fences#MAX}: acquisition and lift refuse with {@link FenceLimitException}.
 *
 * <p>Force and clear carry a fresh call id, so the evict script is idempotent per call and is
 * retried once on a broken connection like the other scripts: a retry of a call that already ran
 * returns its recorded result instead of evicting or auditing twice.
 *
 * <p>Thread-safe. See {@link RedisKeys} for the key layout.
 */
public final class RedisLockBackend implements LockBackend {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLockBackend.class);

  /** Outlives a waiter's capped BLPOP (10 s), which is all a signal is for. */
  private static final long SIGNAL_TTL_MILLIS = 11_000;

  private static final long CALL_RESULT_TTL_MILLIS = 60_000;
  private static final String MAX = Long.toString(Fences.MAX);
  private static final int PRUNE_BATCH = 1000;

  private final RedisPools.Share share;
  private final RedisConnection redis;
  private final Clock clock;

  /**
   * Creates the backend on the process's pool for this URL and timeouts ({@link RedisPools}, shared
   * with the store's cache and the recipes); connections are opened lazily.
   *
   * @param url the Redis URL
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size this backend needs
   * @param clock the wall clock for audit timestamps
   * @throws IllegalArgumentException if the URL is invalid
   */
  public RedisLockBackend(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections, Clock clock) {
    this.share =
        RedisPools.join(RedisEndpoint.parse(url), connectTimeout, readTimeout, maxConnections);
    this.redis = share.connection();
    this.clock = clock;
  }

  @Override
  public AcquireAttempt tryAcquire(LockKey key, String token, OwnerStamp owner) {
    return tryAcquire(key, token, owner, false, "");
  }

  @Override
  public AcquireAttempt tryAcquire(
      LockKey key, String token, OwnerStamp owner, boolean willWait, String localTag) {
    List<?> r =
        (List<?>)
            redis.eval(
                LuaScript.ACQUIRE,
                List.of(
                    RedisKeys.lock(key),
                    RedisKeys.fenceCounter(key.namespace().tag()),
                    RedisKeys.runIndex(key.namespace().tag()),
                    RedisKeys.legacyFence(key),
                    RedisKeys.waitFlag(key)),
                List.of(
                    token,
                    LockValueCodec.tail(owner),
                    Long.toString(owner.leaseMillis()),
                    key.name(),
                    MAX,
                    willWait ? "1" : "0",
                    localTag));
    long status = asLong(r.get(0));
    if (status == 1) {
      return AcquireAttempt.acquired(asLong(r.get(1)));
    }
    if (status == -1) {
      throw new FenceLimitException(key, LockValueCodec.excerpt((String) r.get(1)), "acquire");
    }
    if (status == -2) {
      throw new NoDbException(
          "cannot acquire "
              + key
              + ": Redis key "
              + r.get(1)
              + " holds a "
              + r.get(2)
              + " nodb did not write; free it with a forced unlock or clear (audited)");
    }
    return AcquireAttempt.held(
        Optional.of(LockValueCodec.decode(key, (String) r.get(1), asLong(r.get(2)))));
  }

  @Override
  public OwnershipResult release(LockKey key, String token) {
    Object r =
        redis.eval(
            LuaScript.RELEASE,
            List.of(
                RedisKeys.lock(key),
                RedisKeys.signal(key),
                RedisKeys.evicted(key.namespace().tag()),
                RedisKeys.runIndex(key.namespace().tag()),
                RedisKeys.waitFlag(key)),
            List.of(token, Long.toString(SIGNAL_TTL_MILLIS), key.name()));
    return ownership(r);
  }

  @Override
  public OwnershipResult releaseHolding(LockKey key, String token, long holdMillis) {
    if (holdMillis <= 0) {
      return release(key, token);
    }
    Object r =
        redis.eval(
            LuaScript.HOLD,
            List.of(
                RedisKeys.lock(key),
                RedisKeys.evicted(key.namespace().tag()),
                RedisKeys.signal(key),
                RedisKeys.waitFlag(key)),
            List.of(token, Long.toString(holdMillis), Long.toString(SIGNAL_TTL_MILLIS)));
    return ownership(r);
  }

  @Override
  public OwnershipResult extend(LockKey key, String token, long leaseMillis) {
    Object r =
        redis.eval(
            LuaScript.EXTEND,
            List.of(RedisKeys.lock(key), RedisKeys.evicted(key.namespace().tag())),
            List.of(token, Long.toString(leaseMillis)));
    return ownership(r);
  }

  /**
   * {@inheritDoc}
   *
   * @throws FenceLimitException if the new fence would exceed {@link Fences#MAX} (nothing changed;
   *     the holder keeps its lock and fence)
   */
  @Override
  public long liftFence(LockKey key, String token, long floor) {
    if (floor >= Fences.MAX) {
      throw new FenceLimitException(key, Long.toString(floor), "fence lift");
    }
    long lifted =
        asLong(
            redis.eval(
                LuaScript.LIFT,
                List.of(RedisKeys.lock(key), RedisKeys.fenceCounter(key.namespace().tag())),
                List.of(token, Long.toString(floor), MAX)));
    if (lifted == -2) {
      throw new FenceLimitException(key, Long.toString(floor) + " (or the counter)", "fence lift");
    }
    return lifted;
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

  /**
   * {@inheritDoc}
   *
   * <p>One {@code SCAN MATCH nodb-run:{*} COUNT count} step; keys the pattern matches that are not
   * a valid run's index are skipped with a DEBUG line (listings of foreign data WARN per run, not
   * here). The run index holds only held locks (and entries of expired ones until a listing prunes
   * them), so a run listed here may turn out to hold nothing.
   */
  @Override
  public io.nodb.lock.RunScan scanRuns(String cursor, int count) {
    if (!cursor.chars().allMatch(Character::isDigit) || cursor.isEmpty()) {
      throw new IllegalArgumentException("not a Redis scan cursor: " + cursor);
    }
    List<String> step = redis.scan(cursor, RedisKeys.RUN_INDEX_PATTERN, count);
    List<String> runs = new ArrayList<>();
    for (String key : step.subList(1, step.size())) {
      String runId = RedisKeys.runIdOfIndex(key);
      if (runId == null) {
        LOG.debug("[LOCK] scan: skipping key {} (not a run index)", LockValueCodec.excerpt(key));
      } else {
        runs.add(runId);
      }
    }
    String next = step.get(0);
    return new io.nodb.lock.RunScan(runs, next, "0".equals(next));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Index entries whose lock is gone (it expired instead of being released) are removed here, in
   * one script that re-checks each key, and their 0.1.0 per-name fence counters are folded into the
   * run's counter.
   */
  @Override
  public List<LockInfo> locks(String runId) {
    List<LockKey> keys = readIndex(runId).keys();
    List<LockInfo> held = inspect(keys);
    if (held.size() < keys.size()) {
      Set<LockKey> present = new HashSet<>();
      held.forEach(h -> present.add(h.key()));
      prune(runId, keys.stream().filter(k -> !present.contains(k)).toList());
    }
    return held;
  }

  private void prune(String runId, List<LockKey> gone) {
    for (int from = 0; from < gone.size(); from += PRUNE_BATCH) {
      List<LockKey> batch = gone.subList(from, Math.min(gone.size(), from + PRUNE_BATCH));
      List<String> keys = new ArrayList<>(2 + 2 * batch.size());
      keys.add(RedisKeys.runIndex(runId));
      keys.add(RedisKeys.fenceCounter(runId));
      List<String> names = new ArrayList<>(batch.size());
      for (LockKey k : batch) {
        keys.add(RedisKeys.lock(k));
        keys.add(RedisKeys.legacyFence(k));
        names.add(k.name());
      }
      redis.eval(LuaScript.PRUNE, keys, names);
    }
  }

  /**
   * The usable lock names of a run index and what in it is foreign.
   *
   * @param keys the locks named by well-formed fields, ordered by name
   * @param foreignFields fields that name no lock (not {@code lock:<valid name>})
   * @param foreignType the Redis type of an index that is not a hash, or null
   */
  private record RunIndex(List<LockKey> keys, List<String> foreignFields, String foreignType) {}

  private RunIndex readIndex(String runId) {
    String indexKey = RedisKeys.runIndex(runId);
    List<?> r = (List<?>) redis.eval(LuaScript.READ_INDEX, List.of(indexKey), List.of());
    String type = (String) r.get(0);
    if (!type.equals("hash")) {
      if (!type.equals("none")) {
        LOG.warn(
            "[LOCK] run index {} is a {}, not a hash: nodb did not write it; its locks cannot be"
                + " listed (a clear of the run deletes it)",
            indexKey,
            type);
        return new RunIndex(List.of(), List.of(), type);
      }
      return new RunIndex(List.of(), List.of(), null);
    }
    List<LockKey> keys = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    for (int i = 1; i + 1 < r.size(); i += 2) {
      String field = (String) r.get(i);
      String value = (String) r.get(i + 1);
      LockKey key = lockOf(runId, field);
      if (key == null) {
        LOG.warn(
            "[LOCK] foreign field '{}' in run index {} (value '{}'): not a lock name, skipped (a"
                + " clear of the run removes it)",
            LockValueCodec.excerpt(field),
            indexKey,
            LockValueCodec.excerpt(value));
        foreign.add(field);
        continue;
      }
      if (!value.matches("[0-9]{1,16}")) {
        LOG.warn(
            "[LOCK] field '{}' of run index {} holds '{}', not a fence; the lock is still listed (a"
                + " force or clear rewrites it)",
            LockValueCodec.excerpt(field),
            indexKey,
            LockValueCodec.excerpt(value));
      }
      keys.add(key);
    }
    keys.sort((a, b) -> a.name().compareTo(b.name()));
    return new RunIndex(keys, foreign, null);
  }

  private static LockKey lockOf(String runId, String field) {
    if (!field.startsWith(RedisKeys.INDEX_LOCK_PREFIX) || field.length() > 1024) {
      return null;
    }
    try {
      return LockKey.of(
          io.nodb.lock.LockNamespace.parse(runId),
          field.substring(RedisKeys.INDEX_LOCK_PREFIX.length()));
    } catch (InvalidRunIdException | IllegalArgumentException e) {
      return null;
    }
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
      Object value = r.get(3 * i);
      long pttl = asLong(r.get(3 * i + 1));
      String type = (String) r.get(3 * i + 2);
      if (value instanceof String v) {
        out.add(LockValueCodec.decode(keys.get(i), v, pttl));
      } else if (!type.equals("none")) {
        LOG.warn(
            "[LOCK] lock key {} is a {}, not a lock value: nodb did not write it; listed as a"
                + " foreign holder (a forced unlock deletes it, audited)",
            RedisKeys.lock(keys.get(i)),
            type);
        out.add(LockValueCodec.decode(keys.get(i), "foreign " + type, pttl));
      }
    }
    return out;
  }

  @Override
  public Optional<LockInfo> forceUnlock(
      LockKey key, String expectedDigest, String reason, String actor) {
    return evict(
            key.namespace().tag(),
            List.of(key),
            List.of(),
            false,
            LossReason.FORCED,
            reason,
            actor,
            expectedDigest)
        .stream()
        .findFirst();
  }

  @Override
  public List<LockInfo> clearRun(String runId, String reason, String actor) {
    RunIndex index = readIndex(runId);
    if (index.foreignType() != null || !index.foreignFields().isEmpty()) {
      LOG.warn(
          "[LOCK] clearing run {} also repairs its index {}: {}",
          runId,
          RedisKeys.runIndex(runId),
          index.foreignType() != null
              ? "deleting it (a " + index.foreignType() + ", not a hash)"
              : "removing " + index.foreignFields().size() + " foreign field(s)");
    }
    return evict(
        runId,
        index.keys(),
        index.foreignFields(),
        index.foreignType() != null,
        LossReason.CLEARED,
        reason,
        actor,
        null);
  }

  private List<LockInfo> evict(
      String runId,
      List<LockKey> keys,
      List<String> foreignFields,
      boolean dropIndex,
      LossReason kind,
      String reason,
      String actor,
      String expectedDigest) {
    if (keys.isEmpty() && foreignFields.isEmpty() && !dropIndex) {
      return List.of();
    }
    List<String> redisKeys = new ArrayList<>();
    redisKeys.add(RedisKeys.evicted(runId));
    redisKeys.add(RedisKeys.audit(runId));
    redisKeys.add(RedisKeys.runIndex(runId));
    // One id per operator call: a retry of this call (same id) gets the recorded result.
    redisKeys.add(RedisKeys.callResult(runId, UUID.randomUUID().toString()));
    redisKeys.add(RedisKeys.fenceCounter(runId));
    List<String> args = new ArrayList<>();
    args.add(kind.name());
    args.add(reason);
    args.add(actor);
    args.add(Long.toString(clock.millis()));
    args.add(Long.toString(SIGNAL_TTL_MILLIS));
    args.add(Long.toString(CALL_RESULT_TTL_MILLIS));
    args.add(dropIndex ? "1" : "0");
    args.add(Integer.toString(foreignFields.size()));
    args.addAll(foreignFields);
    for (LockKey k : keys) {
      redisKeys.add(RedisKeys.lock(k));
      redisKeys.add(RedisKeys.signal(k));
      redisKeys.add(RedisKeys.legacyFence(k));
      args.add(k.name());
    }
    args.add(expectedDigest == null ? "" : expectedDigest);
    List<?> r = (List<?>) redis.eval(LuaScript.EVICT, redisKeys, args);
    List<LockInfo> out = new ArrayList<>();
    for (int i = 0; i + 3 < r.size(); i += 4) {
      LockKey k = LockKey.of(io.nodb.lock.LockNamespace.parse(runId), (String) r.get(i));
      String type = (String) r.get(i + 3);
      if (type.equals("changed")) {
        String v = (String) r.get(i + 1);
        throw new LockHolderChangedException(
            k,
            expectedDigest,
            LockValueCodec.decode(k, v.isEmpty() ? "foreign value" : v, asLong(r.get(i + 2))));
      }
      String value = type.equals("string") ? (String) r.get(i + 1) : "foreign " + type;
      out.add(LockValueCodec.decode(k, value, asLong(r.get(i + 2))));
    }
    return out;
  }

  @Override
  public List<AuditEntry> audit(String runId, int limit) {
    List<AuditEntry> out = new ArrayList<>();
    for (Map<String, String> f : redis.streamNewestFirst(RedisKeys.audit(runId), limit)) {
      try {
        LockKey key = LockKey.of(io.nodb.lock.LockNamespace.parse(runId), f.get("name"));
        out.add(
            new AuditEntry(
                Instant.ofEpochMilli(Long.parseLong(f.get("at"))),
                f.get("op"),
                key,
                f.get("reason"),
                f.get("actor"),
                LockValueCodec.decodeAudited(key, String.valueOf(f.get("previous")))));
      } catch (RuntimeException foreign) {
        LOG.warn(
            "[LOCK] foreign entry in audit stream {} skipped: {}",
            RedisKeys.audit(runId),
            LockValueCodec.excerpt(String.valueOf(f)));
      }
    }
    return out;
  }

  @Override
  public void awaitRelease(LockKey key, long maxNanos, int attempt) {
    redis.blockingPop(RedisKeys.signal(key), Duration.ofNanos(maxNanos));
  }

  /** The key holding this deployment's id (not hash-tagged: one key per deployment). */
  static final String DOMAIN_KEY = "nodb-domain";

  @Override
  public LockDomain domain(String adopt) {
    String wanted = adopt != null ? adopt : newDeploymentId();
    String id = redis.setIfAbsentThenGet(DOMAIN_KEY, wanted);
    if (id == null || !id.matches("[0-9a-f]{32}")) {
      throw new NoDbException(
          "Redis at "
              + redis.endpoint()
              + " holds a malformed deployment id in key "
              + DOMAIN_KEY
              + " (expected 32 hex digits); delete the key to let nodb set it again");
    }
    return LockDomain.redis(id, redis.endpoint().toString());
  }

  private static String newDeploymentId() {
    byte[] b = new byte[16];
    new java.security.SecureRandom().nextBytes(b);
    StringBuilder s = new StringBuilder(32);
    for (byte x : b) {
      s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return s.toString();
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
    share.close();
  }

  private static long asLong(Object o) {
    return ((Number) o).longValue();
  }
}
