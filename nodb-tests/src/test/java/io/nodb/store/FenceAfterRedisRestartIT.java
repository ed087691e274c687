package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockLostException;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.CounterState;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Redis restarted without persistence loses every fence counter; the store lifts the new holder's
 * fence above the file's, so fencing keeps working across the restart.
 */
@DedicatedRedis
class FenceAfterRedisRestartIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runsRoot;

  @Test
  void fencesKeepIncreasingAcrossARestartAndTheOldHolderCannotWrite(TestRedis redis) {
    try (LockClient locks =
            LockClient.builder().redis(redis.url()).readTimeout(Duration.ofMillis(500)).build();
        LockClient otherLocks =
            LockClient.builder().redis(redis.url()).readTimeout(Duration.ofMillis(500)).build();
        NoDbStore store = NoDbStore.builder().lockClient(locks).build();
        NoDbStore otherProcess = NoDbStore.builder().lockClient(otherLocks).build()) {
      Path run = runsRoot.resolve(RunIds.unique("restart"));
      Counter c = store.create(Counter.class, run, s -> {});
      for (int i = 0; i < 5; i++) {
        c.increment();
      }
      long fenceBefore = c.fence();

      LockedScope<CounterState> stale = otherProcess.getInstance(Counter.class, run).lock();
      stale.state().count = -100;
      redis.restart();

      c.increment();
      assertThat(c.fence()).as("file fence after the restart").isGreaterThan(fenceBefore);
      try (LockHandle next = locks.acquire(c.lockKey(), Duration.ofSeconds(30), Duration.ZERO)) {
        assertThat(next.fence()).as("the counter in Redis was lifted too").isGreaterThan(c.fence());
      }
      assertThatThrownBy(stale::commit)
          .isInstanceOfAny(LockLostException.class, NoDbStaleWriteException.class);
      stale.close();
      assertThat(c.count()).isEqualTo(6);
      assertThat(store.ignoreLock(Counter.class, run).count()).isEqualTo(6);
      logs.expect(Level.WARN, "was not above the file's fence").from("io.nodb.store").times(1);
      // the stale commit is refused by the file's version before the lock is checked, so the
      // stale holder learns at its release that the restart took its key
      logs.expect(Level.WARN, "lost run=" + c.lockKey().runId()).from("io.nodb.lock").times(1);
      logs.expect(Level.WARN, "release ALREADY_EXPIRED run=" + c.lockKey().runId())
          .from("io.nodb.lock")
          .times(1);
      // a release that draws a pooled connection broken by the restart is not retried (by
      // design): whether one does depends on which connections the pool hands out
      logs.allow(Level.ERROR, "release BACKEND_ERROR run=" + c.lockKey().runId())
          .from("io.nodb.lock")
          .withThrowable(io.nodb.lock.LockBackendUnavailableException.class);
    }
  }
}
