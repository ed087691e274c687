package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.NoDbException;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.FenceLimitException;
import io.nodb.lock.Fences;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.internal.LockHandles;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;

/**
 * What something other than nodb may leave in Redis (foreign index fields, keys of the wrong type,
 * non-integer counters, huge values, fences near 2^53) is reported and skipped by operators'
 * listings and repaired by force and clear, on the shared test Redis.
 */
@ExtendWith(RedisExtension.class)
class RedisForeignDataIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final String BACKEND = "io.nodb.lock.internal.redis.RedisLockBackend";

  private static final Duration LEASE = Duration.ofSeconds(30);

  private final TestRedis redis;
  private LockClient client;
  private Jedis jedis;
  private String run;

  RedisForeignDataIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void open() {
    client = LockClient.builder().redis(redis.url()).build();
    jedis = redis.connect(Duration.ofSeconds(5));
    run = RunIds.unique("foreign");
  }

  @AfterEach
  void close() {
    client.close();
    jedis.close();
  }

  private LockKey key(String name) {
    return LockKey.of(run, name);
  }

  @Test
  void foreignIndexFieldsAreSkippedByListingAndRemovedByClear() {
    LockKey climate = key("climate.nodb");
    LockHandle held = client.tryAcquire(climate).orElseThrow();
    String index = RedisKeys.runIndex(run);
    jedis.hset(index, "junk", "x");
    jedis.hset(index, "lock:", "3");
    jedis.hset(index, "lock:../etc", "4");
    jedis.hset(index, "lock:{other}", "5");
    jedis.hset(index, "lock:landuse.nodb", "not a number");

    assertThat(client.admin().locks(run)).extracting(LockInfo::key).containsExactly(climate);

    List<LockInfo> cleared = client.admin().clearLocks(run, "test");

    assertThat(cleared).extracting(LockInfo::key).containsExactly(climate);
    assertThat(held.isValid()).isFalse();
    // foreign fields removed; the index holds held locks only, so nothing is left of it
    assertThat(jedis.exists(index)).isFalse();
    assertThat(client.admin().locks(run)).isEmpty();
    // the listing and the clear each report every foreign field, naming index and field
    for (String field : List.of("'junk'", "'lock:'", "'lock:../etc'", "'lock:{other}'")) {
      logs.expect(Level.WARN, "foreign field " + field + " in run index " + index)
          .from(BACKEND)
          .times(2);
    }
    // only the first listing sees it: landuse.nodb is not held, so that listing prunes the entry
    logs.expect(Level.WARN, "field 'lock:landuse.nodb' of run index " + index + " holds 'not a")
        .from(BACKEND)
        .times(1);
    logs.expect(Level.WARN, "clearing run " + run + " also repairs its index " + index)
        .from(BACKEND)
        .times(1);
    logs.expect(Level.WARN, "cleared run=" + run + " count=1 reason='test'").times(1);
    logs.expect(Level.WARN, "reason=CLEARED").from("io.nodb.lock").times(1);
  }

  @Test
  void aLockKeyOfTheWrongTypeIsListedAsForeignAndForcingDeletesItWithAnAuditEntry() {
    LockKey climate = key("climate.nodb");
    jedis.rpush(RedisKeys.lock(climate), "a", "b");
    jedis.hset(RedisKeys.runIndex(run), "lock:climate.nodb", "7");

    assertThat(client.admin().locks(run))
        .singleElement()
        .satisfies(i -> assertThat(i.fence()).isEqualTo(-1));
    assertThatThrownBy(() -> client.tryAcquire(climate))
        .isInstanceOf(NoDbException.class)
        .hasMessageContaining(RedisKeys.lock(climate))
        .hasMessageContaining("list");

    Optional<LockInfo> forced = client.admin().forceUnlock(climate, "repair");

    assertThat(forced).isPresent();
    assertThat(jedis.exists(RedisKeys.lock(climate))).isFalse();
    List<AuditEntry> audit = client.admin().audit(run, 10);
    assertThat(audit).singleElement().satisfies(e -> assertThat(e.reason()).contains("list"));
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      assertThat(h.fence()).isEqualTo(8);
    }
    logs.expect(Level.WARN, "lock key " + RedisKeys.lock(climate) + " is a list, not a lock value")
        .from(BACKEND);
    logs.expect(Level.WARN, "forced run=" + run + " key=climate.nodb reason='repair'").times(1);
  }

  @Test
  void aFenceKeyOfTheWrongTypeIsReplacedAboveWhatTheIndexRecords() {
    LockKey climate = key("climate.nodb");
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      assertThat(h.fence()).isEqualTo(1);
    }
    jedis.hset(RedisKeys.runIndex(run), "lock:climate.nodb", "41");
    jedis.del(RedisKeys.fenceCounter(run));
    jedis.hset(RedisKeys.fenceCounter(run), "f", "v");
    assertThatThrownBy(() -> client.tryAcquire(climate))
        .isInstanceOf(NoDbException.class)
        .hasMessageContaining(RedisKeys.fenceCounter(run));

    client.admin().forceUnlock(climate, "repair");

    assertThat(jedis.get(RedisKeys.fenceCounter(run))).isEqualTo("41");
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      assertThat(h.fence()).isEqualTo(42);
    }
  }

  @Test
  void aFenceCounterThatIsNotAnIntegerOrWentBackIsRepairedByClear() {
    LockKey climate = key("climate.nodb");
    LockKey landuse = key("landuse.nodb");
    client.tryAcquire(climate).orElseThrow().release();
    client.tryAcquire(landuse).orElseThrow().release();
    jedis.hset(RedisKeys.runIndex(run), "lock:climate.nodb", "10");
    jedis.hset(RedisKeys.runIndex(run), "lock:landuse.nodb", "20");
    jedis.set(RedisKeys.fenceCounter(run), "ten");

    client.admin().clearLocks(run, "repair");

    // the run's one counter is raised above every fence the index recorded
    try (LockHandle c = client.tryAcquire(climate).orElseThrow();
        LockHandle l = client.tryAcquire(landuse).orElseThrow()) {
      assertThat(c.fence()).isEqualTo(21);
      assertThat(l.fence()).isEqualTo(22);
    }
    logs.expect(Level.WARN, "cleared run=" + run + " count=0 reason='repair'").times(1);
  }

  @Test
  void anIndexOfTheWrongTypeBreaksNeitherListingNorAcquireAndClearDeletesIt() {
    LockKey climate = key("climate.nodb");
    jedis.set(RedisKeys.runIndex(run), "not a hash");

    assertThat(client.admin().locks(run)).isEmpty();
    client.tryAcquire(climate).orElseThrow().release();

    assertThat(client.admin().clearLocks(run, "repair")).isEmpty();

    assertThat(jedis.type(RedisKeys.runIndex(run))).isEqualTo("none");
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      assertThat(client.admin().locks(run)).extracting(LockInfo::fence).containsExactly(h.fence());
    }
    // the listing and the clear's own listing
    logs.expect(Level.WARN, "run index " + RedisKeys.runIndex(run) + " is a string, not a hash")
        .from(BACKEND)
        .times(2);
    logs.expect(Level.WARN, "clearing run " + run + " also repairs its index")
        .from(BACKEND)
        .times(1);
    logs.expect(Level.WARN, "cleared run=" + run + " count=0 reason='repair'").times(1);
  }

  @Test
  void aHugeForeignValueIsNotCopiedIntoMessagesOrTheAudit() {
    LockKey climate = key("climate.nodb");
    String huge = "x|1|2|3|" + "h".repeat(10 * 1024 * 1024) + "|4|t";
    jedis.set(RedisKeys.lock(climate), huge);

    assertThatThrownBy(() -> client.acquire(climate, LEASE, Duration.ofMillis(50)))
        .isInstanceOf(LockTimeoutException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(2_000));
    LockInfo forced = client.admin().forceUnlock(climate, "too big").orElseThrow();
    assertThat(jedis.hkeys(RedisKeys.evicted(run)))
        .allSatisfy(t -> assertThat(t).hasSizeLessThan(300));
    assertThat(forced.host()).hasSizeLessThan(300).contains("bytes)");
    assertThat(client.admin().audit(run, 1))
        .singleElement()
        .satisfies(e -> assertThat(e.toString()).hasSizeLessThan(2_000));
    assertThat(
            logs.expect(Level.WARN, "forced run=" + run + " key=climate.nodb reason='too big'")
                .times(1)
                .await())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).hasSizeLessThan(2_000));
  }

  @Test
  void acquisitionNeverIssuesAFenceAboveTheBound() {
    LockKey climate = key("climate.nodb");
    jedis.set(RedisKeys.fenceCounter(run), Long.toString(Fences.MAX - 1));
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      assertThat(h.fence()).isEqualTo(Fences.MAX);
      assertThat(client.owner(climate).orElseThrow().fence()).isEqualTo(Fences.MAX);
    }
    assertThatThrownBy(() -> client.tryAcquire(climate))
        .isInstanceOf(FenceLimitException.class)
        .hasMessageContaining(Long.toString(Fences.MAX));
    jedis.set(RedisKeys.fenceCounter(run), "9007199254740999");
    assertThatThrownBy(() -> client.tryAcquire(climate))
        .isInstanceOf(FenceLimitException.class)
        .hasMessageContaining("9007199254740999");
    assertThat(jedis.exists(RedisKeys.lock(climate))).isFalse();
  }

  @Test
  void largeFencesAreStoredAsDigitsNotInScientificNotation() {
    LockKey climate = key("climate.nodb");
    jedis.set(RedisKeys.fenceCounter(run), "1000000000000000");
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      assertThat(h.fence()).isEqualTo(1_000_000_000_000_001L);
      assertThat(jedis.get(RedisKeys.lock(climate))).contains("|1000000000000001|");
      assertThat(client.owner(climate).orElseThrow().fence()).isEqualTo(h.fence());
    }
  }

  @Test
  void aLiftAboveTheBoundIsRefusedAndTheHolderKeepsItsLockAndFence() {
    LockKey climate = key("climate.nodb");
    try (LockHandle h = client.tryAcquire(climate).orElseThrow()) {
      long fence = h.fence();
      assertThatThrownBy(() -> LockHandles.liftFence(h, Fences.MAX))
          .isInstanceOf(FenceLimitException.class)
          .hasMessageContaining(Long.toString(Fences.MAX));
      assertThat(h.isValid()).isTrue();
      assertThat(h.fence()).isEqualTo(fence);
      jedis.set(RedisKeys.fenceCounter(run), Long.toString(Fences.MAX));
      assertThatThrownBy(() -> LockHandles.liftFence(h, Fences.MAX - 5))
          .isInstanceOf(FenceLimitException.class);
      assertThat(h.isValid()).isTrue();
      jedis.set(RedisKeys.fenceCounter(run), "3");
      assertThat(LockHandles.liftFence(h, Fences.MAX - 1)).isEqualTo(Fences.MAX);
      assertThat(client.owner(climate).orElseThrow().fence()).isEqualTo(Fences.MAX);
      h.renewNow();
    }
  }
}
