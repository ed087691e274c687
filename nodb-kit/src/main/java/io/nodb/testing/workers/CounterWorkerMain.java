package io.nodb.testing.workers;

import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker process for lost-update checks: {@code <backend> <runDir> <threads> <increments per
 * thread> <start-at epoch millis>}, where backend is {@code redis://...} or {@code local}. Every
 * thread increments the run's {@link Counter} inside {@code locked()}; the worker prints {@code
 * committed <n>} with the number of increments that returned, and {@code failed <error>} for each
 * that threw. Exits 0 when every increment committed.
 */
public final class CounterWorkerMain {

  private CounterWorkerMain() {}

  /**
   * Runs the worker.
   *
   * @param args backend, run directory, threads, increments per thread, start instant (millis)
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    String backend = WorkerArgs.resolve(args[0]);
    Path runDir = Path.of(args[1]);
    int threads = Integer.parseInt(args[2]);
    int increments = Integer.parseInt(args[3]);
    Instant startAt = Instant.ofEpochMilli(Long.parseLong(args[4]));
    LockClient locks =
        backend.equals("local")
            ? LockClient.builder().local(runDir.getParent()).build()
            : LockClient.builder().redis(backend).build();
    AtomicLong committed = new AtomicLong();
    try (NoDbStore store =
        NoDbStore.builder().lockClient(locks).lockWait(Duration.ofMinutes(2)).build()) {
      Counter counter = store.getInstance(Counter.class, runDir);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> fs = new ArrayList<>();
      long wait = Duration.between(Instant.now(), startAt).toMillis();
      if (wait > 0) {
        Thread.sleep(wait); // a shared start instant across JVMs, not a wait for state
      }
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < increments; i++) {
                    try {
                      counter.increment();
                      committed.incrementAndGet();
                    } catch (RuntimeException e) {
                      System.out.println("failed " + e);
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
    } finally {
      locks.close();
    }
    System.out.println("committed " + committed.get());
    System.exit(committed.get() == (long) threads * increments ? 0 : 1);
  }
}
