package io.nodb.lock.internal;

import io.nodb.lock.LockScheduler;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler that renews leases and notices expiry of handles that are not renewed: one per JVM,
 * two daemon threads named {@code nodb-lock-watchdog-N}; tasks are removed from the queue when
 * cancelled, and a closed client cancels its own handles' tasks. Renewal calls block on the backend
 * for at most its read timeout, so two threads keep one slow call from delaying every other
 * renewal. It is the default {@link LockScheduler} of every client; its executor is never shut
 * down. Thread-safe.
 */
final class Watchdog implements LockScheduler {

  private static final Watchdog SHARED = new Watchdog();

  private final ScheduledThreadPoolExecutor executor;

  /**
   * Returns the watchdog shared by every lock client of this JVM: two daemon threads in all,
   * however many clients a program builds (the store builds one per runs root on the local
   * backend).
   */
  static Watchdog shared() {
    return SHARED;
  }

  private Watchdog() {
    AtomicInteger n = new AtomicInteger();
    executor =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "nodb-lock-watchdog-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // A heartbeat keeps a task due within 250 ms at the head of the queue. Without it, every
    // acquisition's renewal task (due in lease/3) becomes the head of an empty queue and wakes a
    // watchdog thread just to park it again: a context switch per acquire/release pair.
    executor.scheduleAtFixedRate(() -> {}, 250, 250, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<?> schedule(Runnable task, Duration delay) {
    return executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "LockScheduler[shared watchdog]";
  }
}
