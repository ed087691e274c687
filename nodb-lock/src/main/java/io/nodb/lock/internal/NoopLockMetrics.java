package io.nodb.lock.internal;

import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;

/** Metrics that record nothing. Stateless and thread-safe. */
enum NoopLockMetrics implements LockMetrics {
  INSTANCE;

  @Override
  public void acquireWait(AcquireOutcome outcome, long nanos) {}

  @Override
  public void held(long nanos) {}

  @Override
  public void renewal(boolean ok) {}

  @Override
  public void release(ReleaseOutcome outcome) {}

  @Override
  public void lost(LossReason reason) {}

  @Override
  public void forced(String kind, int count) {}
}
