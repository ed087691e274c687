package io.nodb.tools.scenario;

import io.nodb.lock.LockHandle;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbBase;
import io.nodb.testing.check.HoldRecord;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs one mutation of a real controller inside its {@code lock()} scope and records it: the wait
 * for the lock, the critical section from the body's start to the commit's return (lock held) as a
 * kit {@link HoldRecord} (this process's pid, the thread's name, the fence, what the release
 * reported, the handle's validity deadline), and the outcome. Stateless.
 */
final class Critical {

  private static final long PID = ProcessHandle.current().pid();

  private Critical() {}

  /**
   * Runs {@code body} on the controller's working copy under its lock, holds for {@code hold}
   * (simulated work), commits, and records the hold and the outcome. Failures are recorded, not
   * thrown. A controller method called inside {@code body} joins this scope (same thread).
   *
   * @param controller the controller
   * @param hold simulated work inside the critical section
   * @param rec where to record
   * @param body the mutation
   * @param <S> the state class
   * @return how long it waited for the lock, in nanoseconds, if it committed; -1 if it did not
   */
  static <S> long run(NoDbBase<S> controller, Duration hold, Recorder rec, Consumer<S> body) {
    long asked = System.nanoTime();
    LockHandle handle;
    long enter;
    long exit;
    long validUntil;
    try (LockedScope<S> scope = controller.lock()) {
      handle = scope.lock();
      enter = System.nanoTime();
      validUntil = HoldRecord.validityDeadline(handle, enter);
      body.accept(scope.state());
      sleep(hold);
      scope.commit();
      validUntil = HoldRecord.validityDeadline(handle, validUntil);
      exit = System.nanoTime();
    } catch (RuntimeException e) {
      rec.failure(e);
      return -1;
    }
    ReleaseOutcome released = handle.release(); // idempotent: what the scope's release reported
    rec.hold(
        new HoldRecord(
            controller.lockKey().name(),
            handle.fence(),
            enter,
            exit,
            PID,
            Thread.currentThread().getName(),
            released,
            validUntil),
        enter - asked);
    rec.outcome(Recorder.OK);
    return enter - asked;
  }

  /** Sleeps to simulate work done while holding a lock (never to wait for one). */
  static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding a lock", e);
    }
  }
}
