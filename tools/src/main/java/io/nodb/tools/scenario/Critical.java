package io.nodb.tools.scenario;

import io.nodb.store.LockedScope;
import io.nodb.store.NoDbBase;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs one mutation of a real controller inside its {@code lock()} scope and records it: the wait
 * for the lock, the critical section from the body's start to the commit's return (lock held), the
 * fence, and the outcome. Stateless.
 */
final class Critical {

  private Critical() {}

  /**
   * Runs {@code body} on the controller's working copy under its lock, holds for {@code hold}
   * (simulated work), commits, and records the hold and the outcome. Failures are recorded, not
   * thrown. A controller method called inside {@code body} joins this scope (same thread).
   *
   * @param controller the controller
   * @param holder who holds it (thread and process), for hand-off counts
   * @param hold simulated work inside the critical section
   * @param rec where to record
   * @param body the mutation
   * @param <S> the state class
   * @return whether it committed
   */
  static <S> boolean run(
      NoDbBase<S> controller, String holder, Duration hold, Recorder rec, Consumer<S> body) {
    long asked = System.nanoTime();
    try (LockedScope<S> scope = controller.lock()) {
      long enter = System.nanoTime();
      body.accept(scope.state());
      sleep(hold);
      scope.commit();
      long exit = System.nanoTime();
      rec.hold(
          new Hold(
              holder,
              controller.lockKey().name(),
              enter,
              exit,
              scope.lock().fence(),
              enter - asked));
      rec.outcome(Recorder.OK);
      return true;
    } catch (RuntimeException e) {
      rec.failure(e);
      return false;
    }
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
