package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.lock.LockNamespace;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Single-flight across three worker JVMs on a real Redis: 10 concurrent callers (4 + 3 + 3) of one
 * cold key start at one instant; the loader must run exactly once among them.
 */
@ExtendWith(RedisExtension.class)
class SingleFlightIT {

  @TempDir Path logs;

  private static String name() {
    return RunIds.unique("sf").replace("sf-", "it");
  }

  private static WorkerJvms workers(TestRedis redis, String name, long leaseMillis, Path logs)
      throws Exception {
    return WorkerJvms.start(
        3, logs, "flight", redis.url(), name, "10", Long.toString(leaseMillis), "2000");
  }

  private static boolean valueStored(TestRedis redis, String name, String key) {
    try (Jedis j = redis.connect(Duration.ofSeconds(2))) {
      return j.exists(
          RecipeKeys.redisKey("sf-value", LockNamespace.of(LockNamespace.FLIGHT, name), key));
    }
  }

  /**
   * How often a compute lock of the cache was ever taken (the namespace's fence counter; the tests
   * use one key per cache).
   */
  private static long lockAcquisitions(TestRedis redis, String name, String key) {
    try (Jedis j = redis.connect(Duration.ofSeconds(2))) {
      String fence = j.get("nodb-fence:{flight:" + name + "}");
      return fence == null ? 0 : Long.parseLong(fence);
    }
  }

  /** How many connections listen for the store's notices. */
  private static long noticeListeners(TestRedis redis, String name) {
    try (Jedis j = redis.connect(Duration.ofSeconds(2))) {
      return j.pubsubNumSub("nodb-sf-ready:{flight:" + name + "}").values().iterator().next();
    }
  }

  @Test
  void tenConcurrentRequestsAcrossThreeJvmsCallTheLoaderOnceAndAgainAfterTheTtl(TestRedis redis)
      throws Exception {
    String name = name();
    try (WorkerJvms jvms = workers(redis, name, 5_000, logs)) {
      // every JVM's first wait opens its pub/sub connection: do that outside the measured round
      FlightRounds.run(jvms, "warm", "warm-up", 300, "ok", 2, 2, 2);
      long warm = lockAcquisitions(redis, name, "warm-up"); // the run's counter: one key at a time
      FlightRounds.Round first = FlightRounds.run(jvms, "r1", "EURUSD", 300, "ok", 4, 3, 3);
      assertThat(first.calls()).isEqualTo(1);
      assertThat(first.values()).hasSize(10);
      assertThat(first.values().stream().distinct()).hasSize(1);
      assertThat(lockAcquisitions(redis, name, "EURUSD") - warm)
          .as("the waiting JVMs were woken by the notice, none took the lock to read")
          .isEqualTo(1);

      // values live 1.5 s: a bounded poll on the real TTL
      await().atMost(Duration.ofSeconds(10)).until(() -> !valueStored(redis, name, "EURUSD"));
      FlightRounds.Round second = FlightRounds.run(jvms, "r2", "EURUSD", 300, "ok", 4, 3, 3);
      assertThat(second.calls()).isEqualTo(1);
      assertThat(second.values()).hasSize(10);
      assertThat(second.values().stream().distinct()).hasSize(1);
      assertThat(second.values().get(0)).isNotEqualTo(first.values().get(0));
      assertThat(lockAcquisitions(redis, name, "EURUSD") - warm).isEqualTo(2);
    }
  }

  @Test
  void aComputingJvmKilledMidLoadIsReplacedOnceItsLeaseRunsOut(TestRedis redis) throws Exception {
    String name = name();
    // lease 1 s: the killed holder blocks the key for at most that long
    try (WorkerJvms jvms = workers(redis, name, 1_000, logs)) {
      WorkerJvms.Worker doomed = jvms.get(0);
      long now = System.currentTimeMillis();
      FlightRounds.start(doomed, "crash", "k", now, 100, "hang", 1);
      doomed.until("LOADING crash", Duration.ofSeconds(30));
      long startAt = System.currentTimeMillis() + 300;
      FlightRounds.start(jvms.get(1), "crash", "k", startAt, 100, "ok", 3);
      FlightRounds.start(jvms.get(2), "crash", "k", startAt, 100, "ok", 3);
      // both survivors wait on the store's notices before the holder dies
      await().atMost(Duration.ofSeconds(10)).until(() -> noticeListeners(redis, name) == 2);

      doomed.process().destroyForcibly(); // SIGKILL: no release, no notice, no renewals

      FlightRounds.Round after = FlightRounds.collect(List.of(jvms.get(1), jvms.get(2)), "crash");
      assertThat(after.calls()).as("one survivor computes after the lease").isEqualTo(1);
      assertThat(after.values()).hasSize(6);
      assertThat(after.values().stream().distinct()).hasSize(1);
      assertThat(after.values().get(0)).doesNotContain("-" + doomed.pid() + "-");
      assertThat(lockAcquisitions(redis, name, "k")).isEqualTo(2);
    }
  }

  @Test
  void aLoaderSlowerThanTheLeaseIsStillCalledOnce(TestRedis redis) throws Exception {
    String name = name();
    // The loader returns after its lock's third renewal, so it outlives the lease by
    // construction: only renewal keeps the other JVMs waiting. The lease is 3 s (renewed every
    // second) rather than 200 ms: on Redis the lease runs in real time, and a renewal would have
    // to be 2 s late (the workers' read timeout) to let a second JVM compute, where 200 ms left
    // 129 ms, which a loaded 2-core machine exceeded.
    try (WorkerJvms jvms = workers(redis, name, 3_000, logs)) {
      FlightRounds.Round round = FlightRounds.run(jvms, "slow", "k", 3, "outlive", 4, 3, 3);
      assertThat(round.calls()).isEqualTo(1);
      assertThat(round.values()).hasSize(10);
      assertThat(round.values().stream().distinct()).hasSize(1);
    }
  }

  @Test
  void aThrowingLoaderReachesEveryWaiterNothingIsCachedAndTheNextCallRetries(TestRedis redis)
      throws Exception {
    String name = name();
    try (WorkerJvms jvms = workers(redis, name, 5_000, logs)) {
      FlightRounds.Round failed = FlightRounds.run(jvms, "f1", "k", 300, "fail", 4, 3, 3);
      assertThat(failed.calls()).isEqualTo(1);
      assertThat(failed.errors()).hasSize(10).allMatch(l -> l.contains("upstream failed in "));
      assertThat(failed.errors().stream().map(l -> l.substring(l.indexOf("upstream"))).distinct())
          .hasSize(1);
      assertThat(valueStored(redis, name, "k")).isFalse();

      FlightRounds.Round retried = FlightRounds.run(jvms, "f2", "k", 100, "ok", 4, 3, 3);
      assertThat(retried.calls()).isEqualTo(1);
      assertThat(retried.values()).hasSize(10);
    }
  }
}
