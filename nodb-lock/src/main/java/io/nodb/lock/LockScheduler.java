package io.nodb.lock;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the delayed tasks of a lock client: the lease renewal of each handle (every third of its
 * lease) and, for handles without renewal, the notice that the lease ran out. It is the seam
 * through which time passes for a client, like Caffeine's {@code Scheduler}: tests give a fake one
 * together with a fake {@link Ticker} (the kit's {@code io.nodb.testing.time.FakeTime}) and run
 * renewals by advancing time instead of sleeping.
 *
 * <p>Without {@link LockClientBuilder#scheduler(LockScheduler)} a client uses the JVM's shared
 * watchdog: two daemon threads for every client of the process, with a heartbeat that keeps them
 * from waking up once per acquisition. A program that wants renewals on its own threads can pass
 * {@link #of(ScheduledExecutorService)}.
 *
 * <p><b>Contract.</b> Implementations must be thread-safe: handles schedule from the threads that
 * acquire, extend and release, and from the tasks themselves. A task is run once, no earlier than
 * its delay after the call, and never by the calling thread inside {@code schedule} (a renewal
 * schedules the next one; running it inline would recurse). A task makes one backend call and may
 * block on it for up to the client's read timeout, so a scheduler should not run every task of a
 * busy client on a single thread. Tasks catch their own exceptions. Cancelling the returned future
 * (with {@code cancel(false)}) must stop a task that has not started; a task that runs anyway after
 * its handle was released or lost does nothing.
 */
@FunctionalInterface
public interface LockScheduler {

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @param task the task (renewal or expiry notice of one handle)
   * @param delay how long from now; zero or negative means as soon as possible
   * @return a future whose {@code cancel(false)} stops the task if it has not started
   * @throws RejectedExecutionException if the scheduler no longer accepts tasks (then, as after any
   *     exception thrown here, the handle logs a WARN and is no longer renewed: its lease runs out
   *     unless extended; the acquire that holds the lock still returns its handle)
   */
  Future<?> schedule(Runnable task, Duration delay);

  /**
   * Returns a scheduler that runs tasks on {@code executor}. The executor is shared, not owned:
   * shutting it down while handles are held stops their renewal (see {@link #schedule}).
   *
   * @param executor the executor
   * @return the scheduler
   */
  static LockScheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return new LockScheduler() {
      @Override
      public Future<?> schedule(Runnable task, Duration delay) {
        return executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      }

      @Override
      public String toString() {
        return "LockScheduler[" + executor + "]";
      }
    };
  }
}
