package io.nodb.lock.internal;

import io.nodb.lock.LockInfo;
import java.util.Optional;

/**
 * The result of one acquire attempt against a backend.
 *
 * @param acquired whether the lock is now ours
 * @param fence our fence when acquired, else -1
 * @param holder the current holder when not acquired (absent if it vanished meanwhile)
 */
public record AcquireAttempt(boolean acquired, long fence, Optional<LockInfo> holder) {

  /**
   * Returns a successful attempt.
   *
   * @param fence the new fence
   * @return the attempt
   */
  public static AcquireAttempt acquired(long fence) {
    return new AcquireAttempt(true, fence, Optional.empty());
  }

  /**
   * Returns a failed attempt.
   *
   * @param holder the current holder, if known
   * @return the attempt
   */
  public static AcquireAttempt held(Optional<LockInfo> holder) {
    return new AcquireAttempt(false, -1, holder);
  }
}
