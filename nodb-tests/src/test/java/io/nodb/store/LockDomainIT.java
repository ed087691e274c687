package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockDomainException;
import io.nodb.lock.internal.RunDomainFile;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.workers.CounterWorkerMain;
import io.nodb.testing.workers.WorkerJvm;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;

/**
 * One lock domain per run, end to end: a run the store locks in Redis is recorded for that Redis
 * deployment (by the id the server keeps, not the URL); a worker JVM without {@code NODB_REDIS_URL}
 * is refused instead of taking local locks beside the Redis ones; another URL of the same server is
 * the same domain; another Redis is refused; a Redis that lost its id (restart without persistence)
 * adopts the run's id.
 */
@ExtendWith(RedisExtension.class)
class LockDomainIT {

  @TempDir Path runsRoot;

  @RegisterExtension final LogCapture logs = new LogCapture();

  private NoDbStore store(LockClient locks) {
    return NoDbStore.builder().lockClient(locks).lockWait(Duration.ofSeconds(10)).build();
  }

  private LockClient redis(String url) {
    return LockClient.builder().redis(url).releaseOnShutdown(false).build();
  }

  private Path redisRun(TestRedis redis, String name) {
    Path run = runsRoot.resolve(name);
    try (LockClient locks = redis(redis.url());
        NoDbStore store = store(locks)) {
      store.create(Counter.class, run, s -> {});
      store.getInstance(Counter.class, run).increment();
    }
    return run;
  }

  @Test
  void aRunLockedInRedisIsRecordedForItsDeployment(TestRedis redis) {
    Path run = redisRun(redis, "run-recorded");
    RunDomainFile.Record r = RunDomainFile.read(run).orElseThrow();
    try (Jedis j = redis.connect(Duration.ofSeconds(5))) {
      assertThat(r.domain().backend()).isEqualTo(LockDomain.Backend.REDIS);
      assertThat(r.domain().deployment()).isEqualTo(j.get("nodb-domain"));
    }
  }

  @Test
  void aWorkerJvmWithoutTheRedisUrlIsRefused(TestRedis redis) throws Exception {
    Path run = redisRun(redis, "run-worker");
    try (WorkerJvm w =
        WorkerJvm.start(
            CounterWorkerMain.class,
            runsRoot.resolve("logs"),
            "local",
            run.toString(),
            "1",
            "1",
            Long.toString(Instant.now().toEpochMilli()))) {
      assertThat(w.await(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(w.output())
          .contains("failed io.nodb.lock.LockDomainException")
          .contains("is locked in Redis deployment")
          .contains("this client uses local lock files")
          .contains("committed 0");
    }
    try (LockClient locks = redis(redis.url());
        NoDbStore store = store(locks)) {
      assertThat(store.getInstance(Counter.class, run).count()).isEqualTo(1);
    }
  }

  @Test
  void anotherUrlOfTheSameServerIsTheSameDomain(TestRedis redis) {
    Path run = redisRun(redis, "run-alias");
    String alias = redis.url().replace("127.0.0.1", "localhost");
    assertThat(alias).isNotEqualTo(redis.url());
    try (LockClient locks = redis(alias);
        NoDbStore store = store(locks)) {
      assertThat(store.getInstance(Counter.class, run).increment()).isEqualTo(2);
    }
  }

  @Test
  @DedicatedRedis
  void anotherRedisIsRefusedAndAnEmptiedOneAdoptsTheRunsId(TestRedis other) {
    Path run = runsRoot.resolve("run-other");
    try (LockClient locks = redis(other.url());
        NoDbStore store = store(locks)) {
      store.create(Counter.class, run, s -> {});
    }
    String recorded = RunDomainFile.read(run).orElseThrow().domain().deployment();

    // a Redis with an id of its own is another domain
    try (Jedis j = other.connect(Duration.ofSeconds(5))) {
      j.set("nodb-domain", "ffffffffffffffffffffffffffffffff");
    }
    try (LockClient locks = redis(other.url());
        NoDbStore store = store(locks)) {
      assertThatThrownBy(() -> store.getInstance(Counter.class, run).increment())
          .isInstanceOf(LockDomainException.class)
          .hasMessageContaining("is locked in Redis deployment " + recorded.substring(0, 8))
          .hasMessageContaining("this client uses Redis deployment ffffffff");
    }

    // the same server emptied (a restart without persistence) takes the run's id back
    try (Jedis j = other.connect(Duration.ofSeconds(5))) {
      j.flushAll();
    }
    try (LockClient locks = redis(other.url());
        NoDbStore store = store(locks)) {
      assertThat(store.getInstance(Counter.class, run).increment()).isEqualTo(1);
    }
    try (Jedis j = other.connect(Duration.ofSeconds(5))) {
      assertThat(j.get("nodb-domain")).isEqualTo(recorded);
    }
    // the emptied server's fence counter restarts below the file's fence: the store lifts it
    logs.expect(
            Level.WARN,
            "run-other/counter.nodb was not above the file's fence 1 (the lock backend lost its"
                + " fence counter); lifted it to 2")
        .from("io.nodb.store")
        .times(1);
  }
}
