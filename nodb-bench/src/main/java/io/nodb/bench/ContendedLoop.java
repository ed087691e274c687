package io.nodb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * N threads of this JVM contending for one {@link ContendedLock} for a fixed time. Each loop:
 * acquire, critical section, release, then {@value #WORK_OUTSIDE_NANOS} ns of simulated work
 * outside the lock by {@link LockSupport#parkNanos} (parking, not spinning, so eight threads do not
 * starve Redis and the clients of the two cores).
 *
 * <p>The critical section increments an unsynchronized counter, runs an optional extra action (the
 * cross-JVM benchmarks use a non-atomic Redis GET + SET there) and tracks how many threads are
 * inside at once. {@link Outcome} carries what a correct lock guarantees: counter == acquisitions
 * and at most one thread inside.
 *
 * <p>Not thread-safe; one run at a time.
 */
final class ContendedLoop {

  static final long WORK_OUTSIDE_NANOS = 1_000_000L;

  /**
   * The result of a run.
   *
   * @param traces one per thread
   * @param counter the unsynchronized counter at the end
   * @param maxInside the most threads ever seen inside the critical section at once
   */
  record Outcome(List<HoldTrace> traces, long counter, int maxInside) {

    int acquisitions() {
      return traces.stream().mapToInt(HoldTrace::size).sum();
    }
  }

  private final ContendedLock lock;
  private final int threads;
  private final String threadPrefix;
  private final Runnable insideAction;
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger maxInside = new AtomicInteger();
  private long counter; // deliberately unsynchronized: the lock under test must protect it

  ContendedLoop(ContendedLock lock, int threads, String threadPrefix, Runnable insideAction) {
    this.lock = lock;
    this.threads = threads;
    this.threadPrefix = threadPrefix;
    this.insideAction = insideAction;
  }

  /**
   * Runs all threads from {@code startNanos} (a {@link System#nanoTime()} reading, possibly in the
   * future) for {@code durationNanos}: a thread starts no new acquisition after the end.
   *
   * @return the traces and exclusion probes
   * @throws IllegalStateException if a thread failed (the first failure is the cause)
   */
  Outcome run(long startNanos, long durationNanos) throws InterruptedException {
    counter = 0;
    inside.set(0);
    maxInside.set(0);
    long end = startNanos + durationNanos;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(threads);
    List<HoldTrace> traces = new ArrayList<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      HoldTrace trace = new HoldTrace(threadPrefix + "t" + t);
      traces.add(trace);
      Thread th =
          new Thread(
              () -> {
                try {
                  loop(trace, startNanos, end, failure);
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                } finally {
                  done.countDown();
                }
              },
              trace.thread());
      th.setDaemon(true);
      started.add(th);
      th.start();
    }
    long maxWaitMillis = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 120_000;
    if (!done.await(maxWaitMillis, TimeUnit.MILLISECONDS)) {
      started.forEach(Thread::interrupt);
      throw new IllegalStateException("contending threads did not finish in time (stuck lock?)");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a contending thread failed", failure.get());
    }
    return new Outcome(traces, counter, maxInside.get());
  }

  private void loop(
      HoldTrace trace, long startNanos, long end, AtomicReference<Throwable> failure) {
    long untilStart = startNanos - System.nanoTime();
    if (untilStart > 0) {
      LockSupport.parkNanos(untilStart);
      while (System.nanoTime() - startNanos < 0) {
        Thread.onSpinWait();
      }
    }
    while (failure.get() == null) {
      long start = System.nanoTime();
      if (start - end >= 0) {
        return;
      }
      ContendedLock.Held held = lock.lock();
      long enter = System.nanoTime();
      int now = inside.incrementAndGet();
      maxInside.accumulateAndGet(now, Math::max);
      counter++;
      insideAction.run();
      inside.decrementAndGet();
      long exit = System.nanoTime();
      held.unlock();
      trace.record(start, enter, exit);
      LockSupport.parkNanos(WORK_OUTSIDE_NANOS);
    }
  }
}
