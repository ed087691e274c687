package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.testing.check.CheckReport;
import io.nodb.testing.check.LostUpdateChecker;
import io.nodb.testing.check.OverlapChecker;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.sim.LockContentionSimulator;
import io.nodb.testing.sim.RequestOutcome;
import io.nodb.testing.sim.SimulationResult;
import io.nodb.testing.workers.ResourceCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check of the suite can fail: the same workload — a herd incrementing a naive file counter —
 * is run once with the real lock (both checkers clean) and once with a lock that does nothing
 * ({@link NoOpLockClient}), where both checkers must report violations. The first two callers meet
 * at a barrier between their read and their write, so with the broken lock an overlap and a lost
 * update are certain, not merely likely; with the real lock the barrier times out (only one is ever
 * inside).
 */
@ExtendWith(RedisExtension.class)
class CheckersCatchABrokenLockIT {

  private static final LockContentionSimulator SIM =
      new LockContentionSimulator(Duration.ofSeconds(60));

  @TempDir Path runsRoot;

  @Test
  void theOverlapAndLostUpdateCheckersCatchANoOpLock() {
    Outcome broken = herd(new NoOpLockClient(), runsRoot.resolve("broken.count"));
    assertThat(broken.overlaps.isClean()).as("overlaps found").isFalse();
    assertThat(broken.overlaps.violations()).anyMatch(v -> v.startsWith("overlap on"));
    assertThat(broken.overlaps.violations()).anyMatch(v -> v.startsWith("fence order on"));
    assertThat(broken.lostUpdates.isClean()).as("lost updates found").isFalse();
    assertThat(broken.lostUpdates.violations()).anyMatch(v -> v.contains("lost update"));
    new Figures("checker-self-test")
        .put("brokenLockOverlapViolations", broken.overlaps.violations().size())
        .put("brokenLockLostUpdateViolations", broken.lostUpdates.violations().size())
        .write();
  }

  @Test
  void theSameWorkloadWithTheRealLockIsClean(TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(Backend.REDIS, redis, runsRoot)) {
      Outcome real = herd(f.client(), runsRoot.resolve("real.count"));
      real.overlaps.assertClean();
      real.lostUpdates.assertClean();
    }
  }

  private record Outcome(CheckReport overlaps, CheckReport lostUpdates) {}

  private static Outcome herd(LockClient client, Path resource) {
    CyclicBarrier firstTwo = new CyclicBarrier(2);
    SimulationResult r =
        SIM.thunderingHerd(
            client,
            LockKey.of(io.nodb.testing.redis.RunIds.unique("checkers"), "counter.nodb"),
            16,
            LockOptions.lease(Duration.ofSeconds(30)),
            Duration.ofSeconds(30),
            h -> {
              try {
                long n = ResourceCounter.read(resource);
                if (!firstTwo.isBroken()) {
                  meet(firstTwo);
                }
                java.nio.file.Files.writeString(resource, Long.toString(n + 1));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertThat(r.count(RequestOutcome.Status.SUCCEEDED)).isEqualTo(16);
    try {
      return new Outcome(
          OverlapChecker.check(r.holds()),
          LostUpdateChecker.check(ResourceCounter.read(resource), r.holds().size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits up to 1 s for a second caller inside the critical section; a real lock never has one. */
  private static void meet(CyclicBarrier barrier) {
    try {
      barrier.await(1, TimeUnit.SECONDS);
    } catch (TimeoutException | BrokenBarrierException alone) {
      // expected with a real lock: nobody else can be inside
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
