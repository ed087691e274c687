package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.InvalidRunIdException;
import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockTimeoutException;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;

/**
 * Item 11: bad input gives typed errors and overwrites nothing — corrupt controller files (the full
 * list of kinds is in {@link io.nodb.testing.contract.StoreContract}; here the kinds a crash or a
 * foreign tool leaves, with a lock attempt on top), invalid run ids at every entry point, foreign
 * lock values, and garbage in the Redis keys nodb owns. (The store's Redis cache, {@code
 * nodb-cache:{run}:…}, is not implemented yet; a garbage entry there must simply be ignored.)
 */
@ExtendWith(RedisExtension.class)
class BadInputIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runsRoot;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"vers",
        "\u0000\u0000\u0000\u0000",
        "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 2, \"fence\": 1}, \"state\": {}}",
        "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"version\": -5, \"fence\": 1}, \"state\": {}}"
      })
  void item11CorruptFilesAreTypedErrorsAndNeverOverwrittenEvenByALockedWriter(String content)
      throws Exception {
    try (Fixture f = new Fixture(Backend.LOCAL, null, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("corrupt");
      store.create(Counter.class, run, s -> {});
      Path file = run.resolve("counter.nodb");
      Counter loaded = store.getInstance(Counter.class, run);
      Files.writeString(file, content);

      assertThatThrownBy(() -> f.store().getInstance(Counter.class, run))
          .isInstanceOf(NoDbCorruptFileException.class);
      assertThatThrownBy(loaded::increment).isInstanceOf(NoDbException.class);
      assertThat(Files.readString(file)).isEqualTo(content);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/b", "-leading-dash", "has space", "nul\u0000", ".hidden"})
  void item11InvalidRunIdsAreRejectedAtEveryEntryPoint(String runId) throws Exception {
    try (Fixture f = new Fixture(Backend.LOCAL, null, runsRoot)) {
      LockClient client = f.client();
      assertThatThrownBy(() -> LockKey.of(runId, "counter.nodb"))
          .isInstanceOf(InvalidRunIdException.class);
      assertThatThrownBy(() -> client.admin().locks(runId))
          .isInstanceOf(InvalidRunIdException.class);
      assertThatThrownBy(() -> client.admin().clearLocks(runId, "test"))
          .isInstanceOf(InvalidRunIdException.class);
      assertThatThrownBy(() -> client.admin().audit(runId, 1))
          .isInstanceOf(InvalidRunIdException.class);
      if (!runId.contains("/") && !runId.contains("\u0000") && !runId.equals("..")) {
        Path dir = runsRoot.resolve(runId);
        assertThatThrownBy(() -> f.store().create(Counter.class, dir, s -> {}))
            .isInstanceOf(InvalidRunIdException.class);
      }
      assertThatThrownBy(() -> LockKey.of("ok", "../escape.nodb"))
          .isInstanceOf(InvalidRunIdException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item11AForeignLockValueIsReportedAsAnUnknownOwnerBlocksAndCanBeForced(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("foreign");
      Counter c = store.create(Counter.class, run, s -> {});
      byte[] before = Files.readAllBytes(c.file());
      LockClient client = f.client();
      f.faults().overwriteForeign(c.lockKey(), "locked-by-cron", Duration.ofSeconds(60));

      LockInfo owner = client.owner(c.lockKey()).orElseThrow();
      assertThat(owner.host()).isEqualTo("?");
      assertThat(owner.pid()).isEqualTo(-1);
      assertThat(owner.fence()).isEqualTo(-1);
      assertThat(client.tryAcquire(c.lockKey())).isEmpty();
      assertThatThrownBy(
              () -> client.acquire(c.lockKey(), Duration.ofSeconds(30), Duration.ofMillis(200)))
          .isInstanceOf(LockTimeoutException.class);
      assertThat(Files.readAllBytes(c.file())).isEqualTo(before);

      assertThat(client.admin().forceUnlock(c.lockKey(), "test: remove a foreign lock"))
          .isPresent();
      c.increment();
      assertThat(c.count()).isEqualTo(1);
      logs.expect(
              Level.WARN,
              "forced run="
                  + c.lockKey().runId()
                  + " key=counter.nodb"
                  + " reason='test: remove a foreign lock' previous=?:-1")
          .times(1);
    }
  }

  @Test
  void item11GarbageInNodbsRedisKeysGivesTypedErrorsAndIsRecoverable(TestRedis redis)
      throws Exception {
    try (Fixture f = new Fixture(Backend.REDIS, redis, runsRoot);
        Jedis j = redis.connect(Duration.ofSeconds(2))) {
      LockClient client = f.client();
      NoDbStore store = f.store(client);
      Path run = f.newRun("garbage");
      Counter c = store.create(Counter.class, run, s -> {});
      String tag = "{" + c.lockKey().runId() + "}";

      // a cache entry of the (not yet implemented) Redis cache: ignored, the file wins
      j.set("nodb-cache:" + tag + ":counter.nodb", "\u0000garbage");
      assertThat(f.store().getInstance(Counter.class, run).count()).isZero();

      // the run's fence counter is not a number: acquiring fails typed, nothing is written; a
      // forced unlock replaces it by the highest fence still recorded (the store then lifts the
      // next holder's fence above the file's)
      j.set("nodb-fence:" + tag, "not-a-number");
      assertThatThrownBy(c::increment).isInstanceOf(NoDbException.class);
      client.admin().forceUnlock(c.lockKey(), "repair the fence counter");
      c.increment();

      // a 0.1.0 per-name fence counter that is not a number: the same, and the forced unlock
      // deletes it (audited)
      j.set("nodb-fence:" + tag + ":counter.nodb", "not-a-number");
      assertThatThrownBy(c::increment).isInstanceOf(NoDbException.class);
      client.admin().forceUnlock(c.lockKey(), "repair the fence counter");
      c.increment();

      // a lock key of the wrong Redis type: listed as a foreign holder, a forced unlock deletes it
      j.del("nodb-lock:" + tag + ":counter.nodb");
      j.hset("nodb-lock:" + tag + ":counter.nodb", "x", "y");
      assertThatThrownBy(() -> client.tryAcquire(c.lockKey())).isInstanceOf(NoDbException.class);
      // (the run index names held locks only, so the key's own owner() is what shows it)
      assertThat(client.owner(c.lockKey())).map(i -> i.host()).contains("?");
      assertThat(client.admin().forceUnlock(c.lockKey(), "repair the lock key")).isPresent();
      assertThat(j.exists("nodb-lock:" + tag + ":counter.nodb")).isFalse();

      // a run index of the wrong type: listing skips it (a WARN names it), a clear deletes it
      j.del("nodb-run:" + tag);
      j.set("nodb-run:" + tag, "garbage");
      assertThat(client.admin().locks(c.lockKey().runId())).isEmpty();
      client.admin().clearLocks(c.lockKey().runId(), "repair the index");
      assertThat(j.type("nodb-run:" + tag)).isEqualTo("none");

      c.increment();
      assertThat(c.count()).isEqualTo(3);
      assertThat(List.of(c.version())).containsExactly(4L);
      String backend = "io.nodb.lock.internal.redis.RedisLockBackend";
      String runId = c.lockKey().runId();
      logs.expect(Level.WARN, "lock key nodb-lock:" + tag + ":counter.nodb is a hash")
          .from(backend);
      logs.expect(
              Level.WARN, "forced run=" + runId + " key=counter.nodb reason='repair the lock key'")
          .times(1);
      // the listing and the clear's own listing name the index
      logs.expect(Level.WARN, "run index nodb-run:" + tag + " is a string, not a hash")
          .from(backend)
          .times(2);
      logs.expect(Level.WARN, "clearing run " + runId + " also repairs its index")
          .from(backend)
          .times(1);
      logs.expect(Level.WARN, "cleared run=" + runId + " count=0 reason='repair the index'")
          .times(1);
      // the repaired fence counter restarts below the file's fence: the store lifts it once
      logs.expect(
              Level.WARN,
              run.getFileName()
                  + "/counter.nodb was not above the file's fence 1 (the lock backend lost its"
                  + " fence counter); lifted it to 2")
          .from("io.nodb.store")
          .times(1);
    }
  }
}
