package io.nodb.lock;

import io.nodb.NoDbException;

/**
 * Thrown when a fence would exceed {@link Fences#MAX}: an acquisition whose key's fence counter is
 * at the bound, or a fence lift (the store's, when a file's fence is not below a new holder's) to a
 * floor at or above it. Nothing was changed by the refused call: a holder that asked for the lift
 * still holds its lock with its fence. The message names the lock, the fence and the bound.
 */
public final class FenceLimitException extends NoDbException {

  private final transient LockKey key;
  private final String fence;

  /**
   * Creates the exception.
   *
   * @param key the lock
   * @param fence the fence (or counter) that reached the bound, as stored
   * @param what what was refused, e.g. "acquire" or "fence lift"
   */
  public FenceLimitException(LockKey key, String fence, String what) {
    super(
        what
            + " of lock "
            + key
            + " refused: fence "
            + fence
            + " would exceed the bound "
            + Fences.MAX
            + " (2^53 - 1)");
    this.key = key;
    this.fence = fence;
  }

  /** Returns the lock. */
  public LockKey key() {
    return key;
  }

  /** Returns the fence or counter that reached the bound, as stored. */
  public String fence() {
    return fence;
  }
}
