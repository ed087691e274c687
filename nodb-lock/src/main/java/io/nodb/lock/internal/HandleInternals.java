package io.nodb.lock.internal;

/**
 * What the library (not its users) may do with a handle of its lock client: read the secret token
 * and lift the fence. Kept off the public {@link io.nodb.lock.LockHandle}; the store and the test
 * kit reach it through {@link LockHandles}. Implementations are thread-safe, as handles are.
 */
public interface HandleInternals {

  /**
   * Returns the token, unique to this acquisition: a capability, never logged or shown.
   *
   * @return the token
   */
  String token();

  /**
   * Makes this acquisition's fence greater than {@code floor}, raising the run's fence counter with
   * it, while the lock is held. Used when the backend lost its fence counter (for example a Redis
   * restart without persistence) and a file already carries a higher fence; fences then keep
   * increasing across the restart.
   *
   * @param floor a fence this acquisition must exceed
   * @return the (possibly new) fence, greater than {@code floor}
   * @throws io.nodb.lock.LockLostException if the lock is no longer held
   * @throws io.nodb.lock.FenceLimitException if the lift would pass {@link io.nodb.lock.Fences#MAX}
   * @throws io.nodb.lock.LockBackendUnavailableException if the backend cannot be reached
   */
  long liftFence(long floor);
}
