package io.nodb.lock.internal;

import io.nodb.lock.LockHandle;
import java.util.Objects;

/**
 * The library's route to a handle's {@link HandleInternals} (token, fence lift), which the public
 * {@link LockHandle} does not offer. Stateless and thread-safe.
 */
public final class LockHandles {

  private LockHandles() {}

  /**
   * Lifts the handle's fence above {@code floor} (see {@link HandleInternals#liftFence}).
   *
   * @param handle a handle of nodb's lock client
   * @param floor a fence the acquisition must exceed
   * @return the (possibly new) fence, greater than {@code floor}
   * @throws IllegalArgumentException if the handle is not one of nodb's lock client
   */
  public static long liftFence(LockHandle handle, long floor) {
    return internals(handle).liftFence(floor);
  }

  /**
   * Returns the handle's secret token (for the library and the test kit only).
   *
   * @param handle a handle of nodb's lock client
   * @return the token
   * @throws IllegalArgumentException if the handle is not one of nodb's lock client
   */
  public static String token(LockHandle handle) {
    return internals(handle).token();
  }

  private static HandleInternals internals(LockHandle handle) {
    Objects.requireNonNull(handle, "handle");
    if (handle instanceof HandleInternals internals) {
      return internals;
    }
    throw new IllegalArgumentException(
        "not a handle of nodb's lock client (" + handle.getClass().getName() + "): " + handle);
  }
}
