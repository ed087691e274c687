package io.nodb.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * How one acquisition behaves: the lease, whether the watchdog renews it while the handle is held,
 * and who is told if it is lost.
 *
 * <p>Immutable and thread-safe. Start from {@link #lease(Duration)} and refine with the {@code
 * with...} methods.
 *
 * @param lease how long the backend keeps the lock without renewal; at least 10 ms
 * @param autoRenew whether the watchdog renews the lease every third of it while held
 * @param lossListener told once if the lock is lost before release; may be {@code null}
 */
public record LockOptions(Duration lease, boolean autoRenew, LockLossListener lossListener) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException if the lease is shorter than 10 ms
   */
  public LockOptions {
    Objects.requireNonNull(lease, "lease");
    if (lease.compareTo(Duration.ofMillis(10)) < 0) {
      throw new IllegalArgumentException("lease must be at least 10 ms, was " + lease);
    }
  }

  /**
   * Returns options with the given lease, renewed by the watchdog, with no listener.
   *
   * @param lease the lease
   * @return the options
   */
  public static LockOptions lease(Duration lease) {
    return new LockOptions(lease, true, null);
  }

  /** Returns a copy whose lease is not renewed: the lock expires after one lease. */
  public LockOptions withoutRenewal() {
    return new LockOptions(lease, false, lossListener);
  }

  /**
   * Returns a copy that tells {@code listener} if the lock is lost.
   *
   * @param listener the listener
   * @return the options
   */
  public LockOptions withLossListener(LockLossListener listener) {
    return new LockOptions(lease, autoRenew, listener);
  }

  /** Returns {@code LockOptions[lease=PT30S, autoRenew=true, lossListener=none|set]}. */
  @Override
  public String toString() {
    return "LockOptions[lease="
        + lease
        + ", autoRenew="
        + autoRenew
        + ", lossListener="
        + (lossListener == null ? "none" : "set")
        + "]";
  }
}
