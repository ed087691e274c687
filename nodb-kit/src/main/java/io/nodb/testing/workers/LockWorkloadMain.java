package io.nodb.testing.workers;

import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.controllers.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A scripted multi-threaded lock workload for one worker JVM, the unit of the multi-process
 * exclusivity and fault tests. Arguments are {@code name=value}:
 *
 * <ul>
 *   <li>{@code backend} ({@code redis://…} or {@code local}), {@code runsRoot}, {@code run}, {@code
 *       readTimeout} (ms), {@code lease} (ms, renewed), {@code wait} (ms);
 *   <li>{@code keys}, {@code threads}, {@code iterations} per thread (0: until {@code stopFile}
 *       exists): each iteration acquires a random key {@code res-<k>.nodb}, increments the naive
 *       {@link ResourceCounter} {@code <resources>/res-<k>.count}, and releases;
 *   <li>{@code counterRun}, {@code counterThreads}, {@code increments} per thread (0: until the
 *       stop file): {@link Counter#increment()} through a store on the same backend;
 *   <li>{@code gate}: a file to wait for before starting; {@code holds}: where to write one {@link
 *       HoldRecord} line per hold at the end.
 * </ul>
 *
 * <p>Output lines: {@code ready}; {@code progress <holds>} every 100 holds; {@code error
 * typed|untyped <class>: <message>} for every failed call; {@code overdue <op> <ms>} for a call
 * that took longer than its deadline plus slack; and at the end {@code done holds=… valid=…
 * writes=… committed=… typed=… untyped=… overdue=…}. A failed call is retried after 20 ms (a retry
 * backoff). Exits 0.
 */
public final class LockWorkloadMain {

  /** Slack over a call's own deadline before it counts as overdue (GC, a loaded 2-core box). */
  static final Duration SLACK = Duration.ofSeconds(5);

  private LockWorkloadMain() {}

  /**
   * Runs the workload.
   *
   * @param args see the class comment
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    WorkerArgs a = WorkerArgs.parse(args);
    new Workload(a).run();
    System.exit(0);
  }

  private static final class Workload {
    final WorkerArgs a;
    final String run;
    final int keys;
    final Duration lease;
    final Duration wait;
    final Duration read;
    final Path stopFile;
    final Path resources;
    final long pid = ProcessHandle.current().pid();
    final ConcurrentLinkedQueue<HoldRecord> holds = new ConcurrentLinkedQueue<>();
    final AtomicLong holdCount = new AtomicLong();
    final AtomicLong valid = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong committed = new AtomicLong();
    final AtomicLong typed = new AtomicLong();
    final AtomicLong untyped = new AtomicLong();
    final AtomicLong overdue = new AtomicLong();

    Workload(WorkerArgs a) {
      this.a = a;
      this.run = a.get("run");
      this.keys = (int) a.number("keys", 4);
      this.lease = a.millis("lease", Duration.ofSeconds(1));
      this.wait = a.millis("wait", Duration.ofSeconds(30));
      this.read = a.millis("readTimeout", Duration.ofMillis(500));
      this.stopFile = a.path("stopFile");
      this.resources = a.path("resources");
    }

    void run() throws Exception {
      List<Thread> threads = new ArrayList<>();
      try (LockClient locks = a.lockClient();
          NoDbStore store =
              NoDbStore.builder().lockClient(locks).lease(lease).lockWait(wait).build()) {
        long iterations = a.number("iterations", 100);
        for (int t = 0; t < a.number("threads", 8); t++) {
          threads.add(new Thread(() -> lockLoop(locks, iterations), "lock-" + t));
        }
        Path counterRun = a.path("counterRun");
        if (counterRun != null) {
          Counter counter = store.getInstance(Counter.class, counterRun);
          long increments = a.number("increments", 10);
          for (int t = 0; t < a.number("counterThreads", 2); t++) {
            threads.add(new Thread(() -> counterLoop(counter, increments), "counter-" + t));
          }
        }
        WorkerGate.awaitGate(a.path("gate"), Duration.ofMinutes(2));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
          t.join();
        }
      }
      Path holdsFile = a.path("holds");
      if (holdsFile != null) {
        List<String> lines = new ArrayList<>();
        holds.forEach(h -> lines.add(h.toLine()));
        Files.write(holdsFile, lines);
      }
      WorkerArgs.say(
          "done holds="
              + holdCount
              + " valid="
              + valid
              + " writes="
              + writes
              + " committed="
              + committed
              + " typed="
              + typed
              + " untyped="
              + untyped
              + " overdue="
              + overdue);
    }

    boolean more(long i, long iterations) {
      return iterations > 0 ? i < iterations : !Files.exists(stopFile);
    }

    void lockLoop(LockClient locks, long iterations) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      for (long i = 0; more(i, iterations); ) {
        String name = "res-" + rnd.nextInt(keys) + ".nodb";
        LockKey key = LockKey.of(run, name);
        long start = System.nanoTime();
        LockHandle h;
        try {
          h = locks.acquire(key, LockOptions.lease(lease), wait);
        } catch (RuntimeException e) {
          failed("acquire", e, start, wait.plus(read.multipliedBy(3)));
          continue;
        }
        checkDeadline("acquire", start, wait.plus(read.multipliedBy(3)));
        long enter = System.nanoTime();
        long validUntil = HoldRecord.validityDeadline(h, enter);
        long exit;
        ReleaseOutcome out;
        try {
          ResourceCounter.increment(resources.resolve(name.replace(".nodb", ".count")));
          writes.incrementAndGet();
        } catch (IOException e) {
          failed("resource", new IllegalStateException(e), enter, Duration.ZERO);
        } finally {
          validUntil = HoldRecord.validityDeadline(h, validUntil);
          exit = System.nanoTime();
          out = h.release(); // on every throwable: a hold never outlives its body
        }
        checkDeadline("release", exit, read.multipliedBy(3));
        boolean ok = out == ReleaseOutcome.RELEASED;
        if (ok) {
          valid.incrementAndGet();
        }
        holds.add(
            new HoldRecord(
                key.toString(),
                h.fence(),
                enter,
                exit,
                pid,
                Thread.currentThread().getName(),
                out,
                validUntil));
        i++;
        if (holdCount.incrementAndGet() % 100 == 0) {
          WorkerArgs.say("progress " + holdCount.get());
        }
      }
    }

    void counterLoop(Counter counter, long increments) {
      for (long i = 0; more(i, increments); ) {
        long start = System.nanoTime();
        try {
          counter.increment();
          committed.incrementAndGet();
          i++;
          checkDeadline("increment", start, wait.plus(read.multipliedBy(6)));
        } catch (RuntimeException e) {
          failed("increment", e, start, wait.plus(read.multipliedBy(6)));
        }
      }
    }

    void failed(String op, RuntimeException e, long start, Duration deadline) {
      boolean isTyped = e instanceof NoDbException;
      (isTyped ? typed : untyped).incrementAndGet();
      WorkerArgs.say(
          "error "
              + (isTyped ? "typed " : "untyped ")
              + op
              + " "
              + e.getClass().getName()
              + ": "
              + String.valueOf(e.getMessage()).replace('\n', ' '));
      checkDeadline(op, start, deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    void checkDeadline(String op, long start, Duration deadline) {
      long took = System.nanoTime() - start;
      if (took > deadline.plus(SLACK).toNanos()) {
        overdue.incrementAndGet();
        WorkerArgs.say("overdue " + op + " " + TimeUnit.NANOSECONDS.toMillis(took));
      }
    }
  }
}
