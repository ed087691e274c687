package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis holds what is held, not every name ever used: after many distinct names are acquired and
 * released (or expire, or are held at least until a deadline), a run's keys are the one fence
 * counter; wake-up keys exist only while someone waits and carry a TTL. And 0.1.0 data (a fence key
 * per name, an index entry per name ever used) keeps its fences and is folded away.
 */
@ExtendWith(RedisExtension.class)
class RedisFootprintIT {

  private static final Duration LEASE = Duration.ofSeconds(30);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final TestRedis redis;
  private LockClient client;
  private Jedis jedis;
  private String run;

  RedisFootprintIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void open() {
    client = LockClient.builder().redis(redis.url()).build();
    jedis = redis.connect(Duration.ofSeconds(10));
    run = RunIds.unique("footprint");
  }

  @AfterEach
  void close() {
    client.close();
    jedis.close();
  }

  @Test
  void aHundredThousandDistinctNamesLeaveOnlyTheRunsFenceCounter() {
    int n = 100_000;
    long last = 0;
    for (int i = 0; i < n; i++) {
      LockHandle h =
          client.acquire(LockKey.of(run, "image/" + i), LockOptions.lease(LEASE), Duration.ZERO);
      assertThat(h.fence()).isGreaterThan(last);
      last = h.fence();
      assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
    }
    // expiring instead of released: the index entries go at the next listing
    for (int i = 0; i < 100; i++) {
      client.acquire(
          LockKey.of(run, "expiring/" + i),
          LockOptions.lease(Duration.ofMillis(50)).withoutRenewal(),
          Duration.ZERO);
    }
    // held at least for a while after release: the key goes on its own
    for (int i = 0; i < 100; i++) {
      client
          .acquire(LockKey.of(run, "held/" + i), LEASE, Duration.ZERO)
          .releaseHoldingFor(Duration.ofMillis(50));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> client.admin().locks(run).isEmpty());

    assertThat(keysOfRun()).containsExactly("nodb-fence:{" + run + "}");
    assertThat(jedis.get("nodb-fence:{" + run + "}")).isEqualTo(Long.toString(last + 200));
    // each expiring lock's holder learns it lost the lock (its expiry timer, before the server)
    logs.expect(Level.WARN, "lost run=" + run + " key=expiring/").from("io.nodb.lock").times(100);
  }

  @Test
  void wakeUpKeysAreWrittenOnlyWhenSomeoneWaitsAndExpire() throws Exception {
    LockKey key = LockKey.of(run, "contended");
    try (LockClient other = LockClient.builder().redis(redis.url()).build()) {
      LockHandle held = client.acquire(key, LEASE, Duration.ZERO);
      assertThat(other.tryAcquire(key)).as("a try does not wait").isEmpty();
      assertThat(keysOfRun()).doesNotContain(signal(key), flag(key));

      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<LockHandle> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                started.countDown();
                return other.acquire(key, LEASE, Duration.ofSeconds(25));
              });
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> jedis.exists(flag(key)));
      assertThat(jedis.pttl(flag(key))).isPositive();
      assertThat(held.release()).isEqualTo(ReleaseOutcome.RELEASED);
      LockHandle got = waiter.get(5, TimeUnit.SECONDS);
      assertThat(got.release()).isEqualTo(ReleaseOutcome.RELEASED);
    }
    for (String k : keysOfRun()) {
      if (!k.equals("nodb-fence:{" + run + "}")) {
        assertThat(jedis.pttl(k)).as("TTL of %s", k).isPositive();
      }
    }
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> keysOfRun().equals(List.of("nodb-fence:{" + run + "}")));
  }

  @Test
  void aWaiterOfTheHoldersOwnClientWaitsLocallyAndWritesNoWakeUpKey() throws Exception {
    LockKey key = LockKey.of(run, "same-client");
    LockHandle held = client.acquire(key, LEASE, Duration.ZERO);
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              started.countDown();
              return client.acquire(key, LEASE, Duration.ofSeconds(25));
            });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> jedis.get("nodb-fence:{" + run + "}").equals("1") && !waiter.isDone());
    assertThat(held.release()).isEqualTo(ReleaseOutcome.RELEASED);
    LockHandle got = waiter.get(5, TimeUnit.SECONDS);
    assertThat(got.release()).isEqualTo(ReleaseOutcome.RELEASED);
    // a flag would live 11 s and a signal 11 s: neither was ever written
    assertThat(keysOfRun()).containsExactly("nodb-fence:{" + run + "}");
  }

  @Test
  void fencesOfA010RunStayAboveItsPerNameCountersWhichAreFoldedAway() {
    String legacyA = "nodb-fence:{" + run + "}:a.nodb";
    String legacyB = "nodb-fence:{" + run + "}:b.nodb";
    String index = "nodb-run:{" + run + "}";
    jedis.set(legacyA, "700");
    jedis.set(legacyB, "900");
    jedis.hset(index, "lock:a.nodb", "700");
    jedis.hset(index, "lock:b.nodb", "900");

    LockHandle a = client.acquire(LockKey.of(run, "a.nodb"), LEASE, Duration.ZERO);
    assertThat(a.fence()).isEqualTo(701);
    assertThat(jedis.exists(legacyA)).isFalse();
    assertThat(a.release()).isEqualTo(ReleaseOutcome.RELEASED);

    // b was never taken again: a listing folds its counter into the run's and drops its entry
    assertThat(client.admin().locks(run)).isEmpty();
    assertThat(jedis.exists(legacyB)).isFalse();
    assertThat(jedis.exists(index)).isFalse();
    assertThat(jedis.get("nodb-fence:{" + run + "}")).isEqualTo("900");
    assertThat(client.acquire(LockKey.of(run, "a.nodb"), LEASE, Duration.ZERO).fence())
        .isEqualTo(901);
  }

  @Test
  void aLegacyCounterAboveTheRunsIsTakenByTheAcquireThatMeetsIt() {
    assertThat(client.acquire(LockKey.of(run, "new.nodb"), LEASE, Duration.ZERO).fence())
        .isEqualTo(1);
    jedis.set("nodb-fence:{" + run + "}:old.nodb", "41");
    assertThat(client.acquire(LockKey.of(run, "old.nodb"), LEASE, Duration.ZERO).fence())
        .isEqualTo(42);
    jedis.set("nodb-fence:{" + run + "}:older.nodb", "5");
    assertThat(client.acquire(LockKey.of(run, "older.nodb"), LEASE, Duration.ZERO).fence())
        .as("a lower legacy counter does not pull the run's back")
        .isEqualTo(43);
  }

  @Test
  void clearFoldsLegacyCountersOfIndexedNamesAndEmptiesTheIndex() {
    jedis.set("nodb-fence:{" + run + "}:gone.nodb", "300");
    jedis.hset("nodb-run:{" + run + "}", "lock:gone.nodb", "300");
    LockHandle held = client.acquire(LockKey.of(run, "held.nodb"), LEASE, Duration.ZERO);
    assertThat(client.admin().clearLocks(run, "footprint test")).hasSize(1);
    assertThat(held.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(jedis.exists("nodb-run:{" + run + "}")).isFalse();
    assertThat(jedis.exists("nodb-fence:{" + run + "}:gone.nodb")).isFalse();
    assertThat(client.acquire(LockKey.of(run, "gone.nodb"), LEASE, Duration.ZERO).fence())
        .isEqualTo(301);
    String where = "run=" + run + " key=held.nodb token=" + held.tokenDigest() + " fence=1";
    logs.expect(Level.WARN, "cleared run=" + run + " count=1 reason='footprint test'")
        .from("io.nodb.lock")
        .times(1);
    logs.expect(Level.WARN, "lost " + where + " reason=CLEARED").from("io.nodb.lock").times(1);
    logs.expect(Level.WARN, "release NOT_OWNER " + where).from("io.nodb.lock").times(1);
  }

  private static String signal(LockKey key) {
    return "nodb-signal:{" + key.runId() + "}:" + key.name();
  }

  private static String flag(LockKey key) {
    return "nodb-wait:{" + key.runId() + "}:" + key.name();
  }

  /** The run's keys except its audit stream and evicted-token hash (kept by design, bounded). */
  private List<String> keysOfRun() {
    List<String> out = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams match = new ScanParams().match("*{" + run + "}*").count(1000);
    do {
      ScanResult<String> page = jedis.scan(cursor, match);
      for (String k : page.getResult()) {
        if (!k.startsWith("nodb-audit:") && !k.startsWith("nodb-evicted:")) {
          out.add(k);
        }
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    out.sort(null);
    return out;
  }
}
