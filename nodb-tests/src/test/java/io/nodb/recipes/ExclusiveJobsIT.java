package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.lock.LockClient;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Run-once scheduled jobs across three scheduler JVMs on a real Redis. */
@ExtendWith(RedisExtension.class)
class ExclusiveJobsIT {

  private static final int FIRINGS = 100;

  @TempDir Path logs;

  @Test
  void threeSchedulersFiringTheSameScheduleRunEachFiringExactlyOnce(TestRedis redis)
      throws Exception {
    String ns = RunIds.unique("jobs");
    // fire every 400 ms; a fast task holds the job for 200 ms, so a trigger up to 200 ms late skips
    // and a runner up to 200 ms late still frees the job before the next firing (margins sized for
    // a loaded 2-core CI machine: 3 worker JVMs, Redis and the test JVM share it)
    try (WorkerJvms jvms =
        WorkerJvms.start(3, logs, "jobs", redis.url(), ns, "" + FIRINGS, "400", "2000", "200")) {
      jvms.sendAll("GO " + (System.currentTimeMillis() + 500));
      Map<Integer, Long> ranBy = new HashMap<>();
      Map<Integer, List<String>> byFiring = new HashMap<>();
      for (WorkerJvms.Worker w : jvms.all()) {
        for (String line : w.until("DONE", Duration.ofSeconds(120))) {
          if (!line.startsWith("F ")) {
            continue;
          }
          String[] p = line.split(" ");
          int i = Integer.parseInt(p[1]);
          byFiring.computeIfAbsent(i, k -> new java.util.ArrayList<>()).add(w.pid() + " " + line);
          if (p[2].equals("RAN")) {
            assertThat(ranBy.put(i, w.pid())).as("firing %d ran twice", i).isNull();
          }
        }
      }
      assertThat(ranBy).hasSize(FIRINGS);
      for (int i = 0; i < FIRINGS; i++) {
        long runner = ranBy.get(i);
        assertThat(byFiring.get(i)).hasSize(3);
        for (String l : byFiring.get(i)) {
          String[] p = l.split(" ");
          if (p[3].equals("SKIPPED")) {
            assertThat(p[4]).as("holder of firing %d: %s", i, l).isEqualTo(Long.toString(runner));
          } else {
            assertThat(p[3]).isEqualTo("RAN");
          }
        }
      }
    }
  }

  @Test
  void aRunnerKilledMidJobBlocksTheJobOnlyUntilItsLeaseRunsOut(TestRedis redis) throws Exception {
    String ns = RunIds.unique("kill");
    Duration lease = Duration.ofMillis(1500);
    try (WorkerJvms jvms =
            WorkerJvms.start(1, logs, "longjob", redis.url(), ns, "" + lease.toMillis());
        LockClient locks = LockClient.builder().redis(redis.url()).build();
        ExclusiveJobs jobs = ExclusiveJobs.builder(locks).namespace(ns).build()) {
      WorkerJvms.Worker runner = jvms.get(0);
      runner.send("GO");
      runner.until("STARTED", Duration.ofSeconds(10));

      JobOutcome whileRunning = jobs.run("report", lease, () -> {});
      assertThat(whileRunning.status()).isEqualTo(JobOutcome.Status.SKIPPED);
      assertThat(whileRunning.holder()).map(h -> h.pid()).contains(runner.pid());

      runner.process().destroyForcibly(); // SIGKILL: no release, no more renewals
      assertThat(runner.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      long killed = System.nanoTime();

      AtomicReference<JobOutcome> last = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                last.set(jobs.run("report", lease, () -> {}));
                return last.get().ran();
              });
      Duration blocked = Duration.ofNanos(System.nanoTime() - killed);
      assertThat(blocked).isLessThan(lease.plusSeconds(3));
    }
  }
}
