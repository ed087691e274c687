package io.nodb.lock;

/**
 * Told when a held lock is lost before it was released: forced, cleared, expired, taken over, or
 * renewal could not reach the backend in time.
 *
 * <p>Called at most once per handle, on a nodb thread (the watchdog) or the thread that detected
 * the loss. It must return quickly and must not block on the lock; an exception it throws is logged
 * and ignored.
 */
@FunctionalInterface
public interface LockLossListener {

  /**
   * Reacts to the loss.
   *
   * @param loss the typed loss: the lock, the reason, the holder's fence and token digest
   */
  void onLoss(LockLostException loss);
}
