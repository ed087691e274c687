package io.nodb.lock;

import io.nodb.NoDbException;

/**
 * Thrown (and passed to {@link LockLossListener}s) when a holder no longer owns its lock: the lease
 * expired, it was forced or cleared, another token took it over, or renewal could not reach the
 * backend in time. The message names the lock, the holder's fence and token digest, and the reason.
 */
public final class LockLostException extends NoDbException {

  private final transient LockKey key;
  private final LossReason reason;
  private final long fence;
  private final String tokenDigest;
  private final String detail;

  /**
   * Creates the exception.
   *
   * @param key the lock
   * @param reason why it was lost
   * @param fence the holder's fence
   * @param tokenDigest the holder's token digest
   * @param detail extra context, or an empty string
   */
  public LockLostException(
      LockKey key, LossReason reason, long fence, String tokenDigest, String detail) {
    super(
        "lock "
            + key
            + " (fence "
            + fence
            + ", token "
            + tokenDigest
            + ") was lost: "
            + reason
            + (detail.isEmpty() ? "" : " - " + detail));
    this.key = key;
    this.reason = reason;
    this.fence = fence;
    this.tokenDigest = tokenDigest;
    this.detail = detail;
  }

  /** Returns the holder's token digest. */
  public String tokenDigest() {
    return tokenDigest;
  }

  /** Returns the extra context given when the loss was detected, possibly empty. */
  public String detail() {
    return detail;
  }

  /** Returns the lock that was lost. */
  public LockKey key() {
    return key;
  }

  /** Returns why it was lost. */
  public LossReason reason() {
    return reason;
  }

  /** Returns the fence of the lost acquisition. */
  public long fence() {
    return fence;
  }
}
