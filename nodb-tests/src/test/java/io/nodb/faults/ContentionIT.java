package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.CheckReport;
import io.nodb.testing.check.OverlapChecker;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.sim.LockContentionSimulator;
import io.nodb.testing.sim.RequestOutcome;
import io.nodb.testing.sim.SimulationResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Items 1 and 2 of the fault suite, through the kit's {@link LockContentionSimulator}: rapid
 * back-to-back {@code locked()} calls (a profile playback) all succeed with no sleeps; 32 threads
 * racing {@code getInstance} get one instance from one parse; and a thundering herd on one key
 * stays exclusive. On Redis and on local lock files.
 */
@ExtendWith(RedisExtension.class)
class ContentionIT {

  private static final LockContentionSimulator SIM =
      new LockContentionSimulator(Duration.ofSeconds(60));

  @TempDir Path runsRoot;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item1RapidSequentialTwentyBackToBackLockedOperationsFromFourThreadsAllSucceed(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("rapid");
      Counter counter = store.create(Counter.class, run, s -> {});

      SimulationResult r = SIM.rapidSequential(4, 20, i -> counter.increment());

      r.assertAllSucceeded();
      assertThat(r.outcomes()).hasSize(20);
      assertThat(counter.count()).isEqualTo(20);
      assertThat(store.ignoreLock(Counter.class, run).count()).isEqualTo(20);
      assertThat(r.outcomes().stream().map(o -> (Long) o.value()).sorted().toList())
          .as("each increment saw every earlier one")
          .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
      assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item2SingletonRaceThirtyTwoThreadsGetOneInstanceFromOneParse(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      Path run = f.newRun("singleton");
      f.store().create(Counter.class, run, s -> s.label = "made elsewhere");
      NoDbStore fresh = f.store();

      SimulationResult r = SIM.singletonRace(32, () -> fresh.getInstance(Counter.class, run));

      r.assertAllSucceeded();
      assertThat(r.distinctValuesByIdentity()).hasSize(1);
      assertThat(fresh.diskHydrations()).as("parses").isEqualTo(1);
      assertThat(((Counter) r.outcomes().get(0).value()).state().label).isEqualTo("made elsewhere");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void thunderingHerdOfThirtyTwoOnOneKeyIsExclusiveWithIncreasingFences(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      LockClient client = f.client();
      LockKey key = LockKey.of(f.newRun("herd").getFileName().toString(), "herd.nodb");
      SimulationResult r =
          SIM.thunderingHerd(
              client,
              key,
              32,
              LockOptions.lease(Duration.ofSeconds(10)),
              Duration.ofSeconds(30),
              h -> Thread.yield());

      r.assertAllSucceeded();
      assertThat(r.count(RequestOutcome.Status.SUCCEEDED)).isEqualTo(32);
      CheckReport overlaps = OverlapChecker.check(r.holds());
      overlaps.assertClean();
      assertThat(overlaps.checked()).isEqualTo(32);
      new Figures("herd-" + backend.name().toLowerCase(java.util.Locale.ROOT))
          .put("callers", 32)
          .put("acquisitions", r.holds().size())
          .put("overlapViolations", overlaps.violations().size())
          .put("p50DurationMillis", r.durationPercentile(50).toMillis())
          .put("p99DurationMillis", r.durationPercentile(99).toMillis())
          .put("maxWaitMillis", r.maxWait().toMillis())
          .write();
    }
  }
}
