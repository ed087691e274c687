package io.nodb.lock.internal;

import io.nodb.lock.LockHandle;
import io.nodb.lock.LockScheduler;
import io.nodb.lock.Ticker;
import java.time.Duration;

/** What a lock handle needs from the client that created it. */
interface LockRuntime {

  LockBackend backend();

  Ticker ticker();

  LockMetrics metrics();

  /** The scheduler of renewals and expiry notices (the shared watchdog unless configured). */
  LockScheduler scheduler();

  long marginNanos(Duration lease);

  /** Whether the client was closed (its handles are no longer renewed). */
  boolean closed();

  /** Called once when the handle's release finished; {@code freed} when the lock was deleted. */
  void released(LockHandle handle, boolean freed);
}
