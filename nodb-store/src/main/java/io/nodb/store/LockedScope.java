package io.nodb.store;

import io.nodb.lock.LockHandle;

/**
 * A locked mutation of one controller, for code with checked exceptions: the lock is held from
 * {@link NoDbBase#lock()} until {@link #close()}; {@link #state()} is a private working copy;
 * {@link #commit()} dumps it (fenced) and publishes it to the shared instance. Closing without
 * commit dumps and publishes nothing, so a failure leaves the shared instance and the file as they
 * were.
 *
 * <pre>{@code
 * try (LockedScope<ClimateState> scope = climate.lock()) {
 *   scope.state().station = parseStation(file);   // may throw IOException: nothing is written
 *   scope.commit();
 * }
 * }</pre>
 *
 * <p>A scope belongs to the thread that opened it. A nested {@code lock()} of the same controller
 * on the same thread joins the outer scope: it sees the same working copy, and its {@code commit}
 * and {@code close} do nothing; the outermost commit writes once.
 *
 * @param <S> the controller's state class
 */
public interface LockedScope<S> extends AutoCloseable {

  /**
   * Returns the working copy to mutate.
   *
   * @return the working copy
   * @throws IllegalStateException after commit or close
   */
  S state();

  /** Returns the lock held by this scope (its fence is written into the file). */
  LockHandle lock();

  /**
   * Dumps the working copy (fenced, crash-safe) and publishes it to the shared instance.
   *
   * @throws io.nodb.lock.LockLostException if the lock was lost (nothing is written)
   * @throws NoDbStaleWriteException if the file changed under us (nothing is written)
   * @throws NoDbFencedWriteException if a newer holder wrote the file (nothing is written)
   * @throws IllegalStateException if already committed or closed
   */
  void commit();

  /** Releases the lock; without a commit nothing is written or published. Never throws. */
  @Override
  void close();
}
