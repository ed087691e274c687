package io.nodb.lock;

import io.nodb.NoDbException;

/**
 * Thrown by {@link LockAdmin#forceUnlock(LockKey, String, String)} when the lock is held, but not
 * by the holder the caller expected (its token digest differs): someone else took the lock after
 * the operator looked. Nothing was evicted; {@link #holder()} is the holder now.
 */
public final class LockHolderChangedException extends NoDbException {

  private final LockKey key;
  private final String expectedDigest;
  private final LockInfo holder;

  /**
   * Creates the exception.
   *
   * @param key the lock
   * @param expectedDigest the token digest the caller expected
   * @param holder the holder now
   */
  public LockHolderChangedException(LockKey key, String expectedDigest, LockInfo holder) {
    super(
        "the holder of "
            + key
            + " changed: expected token "
            + expectedDigest
            + ", now held by "
            + holder.describe()
            + "; nothing was forced");
    this.key = key;
    this.expectedDigest = expectedDigest;
    this.holder = holder;
  }

  /** Returns the lock. */
  public LockKey key() {
    return key;
  }

  /** Returns the token digest the caller expected. */
  public String expectedDigest() {
    return expectedDigest;
  }

  /** Returns the holder now. */
  public LockInfo holder() {
    return holder;
  }
}
