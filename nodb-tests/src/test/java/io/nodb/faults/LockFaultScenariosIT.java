package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.LockStateProbe;
import io.nodb.testing.check.LockStateReport;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.CounterState;
import io.nodb.testing.faults.LockFaults;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/**
 * Items 3, 4 and 5 of the fault suite, in one process, on Redis and on local lock files: a lease
 * that runs out during an operation, a corrupted token, and clearing a run's locks while one of
 * them is in use. Each ends with the {@link LockStateProbe} confirming backend, handles and file
 * agree. Waits are latches (loss listeners) and the lock client's own blocking acquire.
 */
@ExtendWith(RedisExtension.class)
class LockFaultScenariosIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runsRoot;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item3LeaseExpiryDuringAnOperationRejectsTheFirstHoldersDumpAndKeepsTheSecondsData(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      Path run = f.newRun("expiry");
      f.store().create(Counter.class, run, s -> s.label = "initial");
      NoDbStore slow = f.store(LockFaults.shortLeases(f.client(), Duration.ofMillis(300)));
      NoDbStore next = f.store();

      Counter first = slow.getInstance(Counter.class, run);
      CompletableFuture<LossReason> told = new CompletableFuture<>();
      try (LockedScope<CounterState> scope = first.lock()) {
        scope.lock().addLossListener(loss -> told.complete(loss.reason()));
        scope.state().label = "first holder";
        // the body outlives its 300 ms lease (renewal is off): the holder is told, typed
        assertThat(told.get(10, TimeUnit.SECONDS)).isEqualTo(LossReason.EXPIRED);

        next.getInstance(Counter.class, run).locked(s -> s.label = "second holder");

        assertThatThrownBy(scope::commit)
            .isInstanceOfSatisfying(
                LockLostException.class,
                e -> assertThat(e.reason()).isIn(LossReason.EXPIRED, LossReason.TAKEN_OVER));
      }
      assertThat(f.store().ignoreLock(Counter.class, run).state().label).isEqualTo("second holder");
      assertThat(first.state().label).as("nothing published").isNotEqualTo("first holder");
      f.probe().verifyFree(first.lockKey(), first.file()).assertAgrees();
      String where = "run=" + first.lockKey().runId() + " key=" + first.lockKey().name();
      logs.expect(Level.WARN, "lost " + where).from("io.nodb.lock").times(1);
      logs.expect(Level.WARN, "release ALREADY_EXPIRED " + where).from("io.nodb.lock").times(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item4TokenMismatchReleaseIsNotOwnerAndForceUnlockRecovers(Backend backend, TestRedis redis)
      throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      LockClient client = f.client();
      LockKey key = LockKey.of(f.newRun("token").getFileName().toString(), "counter.nodb");
      LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
      LockStateProbe probe = f.probe();
      probe.verify(h, null).assertAgrees();

      f.faults().corruptToken(key);
      LockStateReport seen = probe.verify(h, null);
      assertThat(seen.agrees()).isFalse();
      assertThat(seen.differences()).anyMatch(d -> d.contains("another token"));

      assertThat(h.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
      assertThat(client.owner(key)).as("nothing was deleted").isPresent();
      assertThat(client.tryAcquire(key)).isEmpty();

      assertThat(client.admin().forceUnlock(key, "test: recover a corrupted token")).isPresent();
      try (LockHandle again = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO)) {
        assertThat(again.fence()).isGreaterThan(h.fence());
        probe.verify(again, null).assertAgrees();
      }
      assertThat(client.admin().audit(key.runId(), 10)).isNotEmpty();
      String where = "run=" + key.runId() + " key=" + key.name();
      logs.expect(
              Level.WARN,
              "lost "
                  + where
                  + " token="
                  + h.tokenDigest()
                  + " fence="
                  + h.fence()
                  + " reason=TAKEN_OVER")
          .times(1);
      logs.expect(Level.WARN, "release NOT_OWNER " + where + " token=" + h.tokenDigest()).times(1);
      logs.expect(Level.WARN, "forced " + where + " reason='test: recover a corrupted token'")
          .times(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void item5ClearLocksDuringAnActiveOperationTellsTheHolderAndLeavesOtherRunsAlone(
      Backend backend, TestRedis redis) throws Exception {
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      LockClient client = f.client();
      NoDbStore store = f.store(client);
      Path run = f.newRun("clear");
      Path other = f.newRun("other");
      Counter mine = store.create(Counter.class, run, s -> s.label = "before");
      Counter theirs = store.create(Counter.class, other, s -> {});
      byte[] before = Files.readAllBytes(mine.file());
      LockClient otherProcess = f.client();
      LockHandle othersLock =
          otherProcess.acquire(theirs.lockKey(), Duration.ofSeconds(30), Duration.ZERO);

      CompletableFuture<LossReason> told = new CompletableFuture<>();
      try (LockedScope<CounterState> scope = mine.lock()) {
        scope.lock().addLossListener(loss -> told.complete(loss.reason()));
        scope.state().label = "must never land";
        assertThat(
                f.client()
                    .admin()
                    .clearLocks(mine.lockKey().runId(), "test: clear during an operation"))
            .hasSize(1);

        assertThatThrownBy(scope::commit)
            .isInstanceOfSatisfying(
                LockLostException.class, e -> assertThat(e.reason()).isEqualTo(LossReason.CLEARED));
        assertThat(told.get(10, TimeUnit.SECONDS)).isEqualTo(LossReason.CLEARED);
      }
      assertThat(Files.readAllBytes(mine.file())).as("the dump never landed").isEqualTo(before);
      assertThat(othersLock.isValid()).isTrue();
      othersLock.renewNow();
      f.probe().verify(othersLock, theirs.file()).assertAgrees();
      f.probe().verifyFree(mine.lockKey(), mine.file()).assertAgrees();
      assertThat(othersLock.release()).isEqualTo(ReleaseOutcome.RELEASED);
      String where = "run=" + mine.lockKey().runId() + " key=" + mine.lockKey().name();
      logs.expect(
              Level.WARN,
              "cleared run=" + mine.lockKey().runId() + " count=1 reason='test: clear during an")
          .times(1);
      logs.expect(Level.WARN, "lost " + where).from("io.nodb.lock").times(1);
      logs.expect(Level.WARN, "release NOT_OWNER " + where).from("io.nodb.lock").times(1);
    }
  }
}
