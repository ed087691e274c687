package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockHandle;
import io.nodb.store.NoDbReadOnlyException;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.sim.LockContentionSimulator;
import io.nodb.testing.sim.SimulationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Item 6: the three instance-cache regressions of the old system, under contention. The single
 * threaded forms live in {@link io.nodb.testing.contract.StoreContract}; here 16 threads race each
 * one.
 */
@ExtendWith(RedisExtension.class)
class CacheRegressionsIT {

  private static final LockContentionSimulator SIM =
      new LockContentionSimulator(Duration.ofSeconds(60));

  @TempDir Path runsRoot;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item6aRefreshAfterAnExternalDumpKeepsIdentityForEveryRacingCaller(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      NoDbStore mine = f.store();
      Path run = f.newRun("refresh");
      Counter c = mine.create(Counter.class, run, s -> {});
      f.store().getInstance(Counter.class, run).increment(); // another process dumps

      SimulationResult r = SIM.singletonRace(16, () -> mine.getInstance(Counter.class, run));

      r.assertAllSucceeded();
      assertThat(r.distinctValuesByIdentity()).containsExactly(c);
      assertThat(c.count()).isEqualTo(1);
      assertThat(c.version()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item6bIgnoreLockBypassesTheCacheAndTheLock(Backend backend, TestRedis redis)
      throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("ignore");
      Counter shared = store.create(Counter.class, run, s -> {});
      long cached = store.cachedCount(Counter.class);
      try (LockHandle held =
          f.client().acquire(shared.lockKey(), Duration.ofSeconds(30), Duration.ZERO)) {
        SimulationResult r = SIM.singletonRace(16, () -> store.ignoreLock(Counter.class, run));
        r.assertAllSucceeded();
        assertThat(r.distinctValuesByIdentity()).hasSize(16).doesNotContain(shared);
        assertThat(r.maxWait())
            .as("nobody waited for the held lock")
            .isLessThan(Duration.ofSeconds(10));
        assertThat(held.isValid()).isTrue();
      }
      assertThat(store.cachedCount(Counter.class)).isEqualTo(cached);
      assertThat(store.getInstance(Counter.class, run)).isSameAs(shared);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item6cReadOnlyRunsAreNeverCachedEvenUnderARace(Backend backend, TestRedis redis)
      throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("readonly");
      store.create(Counter.class, run, s -> {});
      Files.createFile(run.resolve(NoDbStore.READONLY_MARKER));

      SimulationResult r = SIM.singletonRace(16, () -> store.getInstance(Counter.class, run));

      r.assertAllSucceeded();
      assertThat(r.distinctValuesByIdentity()).hasSize(16);
      assertThat(store.cachedCount(Counter.class)).isZero();
      Counter any = (Counter) r.outcomes().get(0).value();
      assertThatThrownBy(any::increment).isInstanceOf(NoDbReadOnlyException.class);
    }
  }
}
