package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.workers.StuckHolderMain;
import io.nodb.testing.workers.WorkerJvm;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * A worker JVM that holds locks and gets SIGTERM releases them in its shutdown hook: they are free
 * within 1 s of its exit, not at the end of their 60 s leases. With the hook turned off they stay
 * held (the hook, not the exit, frees them). On Redis and on local files.
 */
@ExtendWith(RedisExtension.class)
class ShutdownReleaseIT {

  private static final Duration LEASE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void sigtermReleasesEveryHeldLockOnRedis(TestRedis redis) throws Exception {
    try (LockClient probe = LockClient.builder().redis(redis.url()).build()) {
      assertReleasedOnSigterm(redis.url(), probe, "run-term-redis");
    }
  }

  @Test
  void sigtermReleasesEveryHeldLockOnLocalFiles() throws Exception {
    try (LockClient probe = LockClient.builder().local(dir).build()) {
      assertReleasedOnSigterm("local", probe, "run-term-local");
    }
  }

  @Test
  void withTheHookOffTheLocksStayHeldAfterSigterm(TestRedis redis) throws Exception {
    String run = "run-term-off";
    try (LockClient probe = LockClient.builder().redis(redis.url()).build();
        WorkerJvm w = holder(redis.url(), run, "releaseOnShutdown=false")) {
      w.awaitLine("holding b ", Duration.ofSeconds(30));
      w.terminate();
      assertThat(w.await(Duration.ofSeconds(30))).isNotZero();
      assertThat(probe.admin().locks(run)).hasSize(2);
      assertThat(w.output()).doesNotContain("[LOCK] shutdown");
      probe.admin().clearLocks(run, "test cleanup");
      logs.expect(Level.WARN, "cleared run=" + run + " count=2 reason='test cleanup'")
          .from("io.nodb.lock")
          .times(1);
    }
  }

  @Test
  @DedicatedRedis
  void aPausedRedisDoesNotHoldUpTheExitBeyondTheBound(TestRedis redis) throws Exception {
    String run = "run-term-paused";
    try (WorkerJvm w = holder(redis.url(), run, "readTimeout=20000")) {
      w.awaitLine("holding b ", Duration.ofSeconds(30));
      redis.pause();
      try {
        long start = System.nanoTime();
        w.terminate();
        assertThat(w.await(Duration.ofSeconds(30))).isNotZero();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // each release would wait 20 s for the paused server; the hook gives up after 2 s
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(w.output())
            .contains("[LOCK] shutdown: released 0 of 2 held lock(s)")
            .contains("will expire with their lease");
      } finally {
        redis.resume();
      }
    }
  }

  private void assertReleasedOnSigterm(String backend, LockClient probe, String run)
      throws Exception {
    try (WorkerJvm w = holder(backend, run)) {
      w.awaitLine("holding a ", Duration.ofSeconds(30));
      w.awaitLine("holding b ", Duration.ofSeconds(30));
      assertThat(probe.admin().locks(run)).hasSize(2);

      w.terminate();
      assertThat(w.await(Duration.ofSeconds(30))).as("exit status after SIGTERM").isNotZero();

      await()
          .atMost(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(probe.admin().locks(run)).isEmpty());
      assertThat(probe.tryAcquire(LockKey.of(run, "a"))).isPresent();
      assertThat(w.output()).contains("[LOCK] shutdown: released 2 held lock(s)");
    }
  }

  private WorkerJvm holder(String backend, String run, String... extra) throws Exception {
    String[] args = {
      "backend=" + backend,
      "runsRoot=" + dir,
      "run=" + run,
      "names=a,b",
      "lease=" + LEASE.toMillis(),
      "goFile=" + dir.resolve(run + ".go"),
      "holds=" + dir.resolve(run + "-holds.txt")
    };
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    return WorkerJvm.start(StuckHolderMain.class, dir.resolve("logs"), all);
  }
}
