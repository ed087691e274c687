package io.nodb.lock;

/** Why a holder lost its lock before releasing it. */
public enum LossReason {
  /** The lease ran out (renewal disabled, or the holder was paused past its lease). */
  EXPIRED,
  /** An operator or tool forced the lock free ({@link LockAdmin#forceUnlock}). */
  FORCED,
  /** All locks of the run were cleared ({@link LockAdmin#clearLocks}). */
  CLEARED,
  /** The lease ran out and another token now holds the lock. */
  TAKEN_OVER,
  /** Renewal could not reach the backend before the lease ran out; ownership is unknown. */
  BACKEND_UNCERTAIN
}
