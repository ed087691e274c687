package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.workers.CounterWorkerMain;
import io.nodb.testing.workers.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-modify-write of one counter controller by 4 processes x 8 threads: the final count is
 * exactly the number of committed increments (no lost updates), on Redis and on local lock files.
 */
@ExtendWith(RedisExtension.class)
class MultiProcessCounterIT {

  private static final int PROCESSES = 4;
  private static final int THREADS = 8;
  private static final int INCREMENTS = 10;

  @TempDir Path runsRoot;

  @Test
  void fourProcessesTimesEightThreadsLoseNoUpdateOnRedis(TestRedis redis) throws Exception {
    run(redis.url(), LockClient.builder().redis(redis.url()).build());
  }

  @Test
  void fourProcessesTimesEightThreadsLoseNoUpdateOnLocalLockFiles() throws Exception {
    run("local", LockClient.builder().local(runsRoot).build());
  }

  private void run(String backend, LockClient locks) throws Exception {
    Path runDir = runsRoot.resolve(RunIds.unique("mp"));
    try (NoDbStore store = NoDbStore.builder().lockClient(locks).build()) {
      store.create(Counter.class, runDir, s -> {});
      long startAt = System.currentTimeMillis() + 3000;
      List<WorkerJvm> workers = new ArrayList<>();
      try {
        for (int p = 0; p < PROCESSES; p++) {
          workers.add(
              WorkerJvm.start(
                  CounterWorkerMain.class,
                  runsRoot.resolve("logs"),
                  backend,
                  runDir.toString(),
                  Integer.toString(THREADS),
                  Integer.toString(INCREMENTS),
                  Long.toString(startAt)));
        }
        long committed = 0;
        for (WorkerJvm w : workers) {
          int code = w.await(Duration.ofMinutes(4));
          assertThat(code).as("worker %d exit code; output:%n%s", w.pid(), w.output()).isZero();
          committed += Long.parseLong(w.lines("committed ").get(0));
        }
        assertThat(committed).isEqualTo((long) PROCESSES * THREADS * INCREMENTS);
        Counter counter = store.getInstance(Counter.class, runDir);
        assertThat(counter.count()).as("no lost update").isEqualTo(committed);
        assertThat(counter.version()).isEqualTo(committed + 1);
      } finally {
        workers.forEach(WorkerJvm::close);
        locks.close();
      }
    }
  }
}
