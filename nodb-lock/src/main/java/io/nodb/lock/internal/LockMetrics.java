package io.nodb.lock.internal;

import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;

/**
 * What the lock client counts and times. The no-op form is used when no meter registry is
 * configured, so Micrometer stays an optional dependency. Implementations are thread-safe.
 */
interface LockMetrics {

  /** Outcome tags of an acquire. */
  enum AcquireOutcome {
    ACQUIRED,
    CONTENDED,
    TIMEOUT,
    UNAVAILABLE,
    INTERRUPTED
  }

  void acquireWait(AcquireOutcome outcome, long nanos);

  void held(long nanos);

  void renewal(boolean ok);

  void release(ReleaseOutcome outcome);

  void lost(LossReason reason);

  void forced(String kind, int count);
}
