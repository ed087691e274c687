package io.nodb.recipes.internal;

import io.nodb.lock.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Remembers that the shared backend (Redis) is unreachable, so callers skip it for a while instead
 * of paying a connect timeout on every call, and logs the change of state once each way: WARN when
 * the outage starts, INFO when the backend answers again. Thread-safe.
 */
public final class OutageGate {

  private final String what;
  private final Ticker ticker;
  private final long retryNanos;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long retryAt;

  /**
   * Creates a gate.
   *
   * @param what the recipe, for log lines
   * @param ticker the monotonic clock
   * @param retryAfter how long to skip the backend after a failure
   */
  public OutageGate(String what, Ticker ticker, Duration retryAfter) {
    this.what = what;
    this.ticker = ticker;
    this.retryNanos = retryAfter.toNanos();
  }

  /** Returns whether the backend should be tried: it is up, or the retry time has come. */
  public boolean allowsBackend() {
    return !down.get() || ticker.read() - retryAt >= 0;
  }

  /** Returns whether an outage is being remembered. */
  public boolean isDown() {
    return down.get();
  }

  /**
   * Records a failure to reach the backend; logs WARN if this starts an outage.
   *
   * @param error the failure
   */
  public void failed(RuntimeException error) {
    retryAt = ticker.read() + retryNanos;
    if (down.compareAndSet(false, true)) {
      RecipeLog.outageStarted(what, error);
    }
  }

  /** Records that the backend answered; logs INFO if this ends an outage. */
  public void answered() {
    if (down.get() && down.compareAndSet(true, false)) {
      RecipeLog.outageEnded(what);
    }
  }
}
