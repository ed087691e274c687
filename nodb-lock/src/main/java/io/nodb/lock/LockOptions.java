package io.nodb.lock;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one acquisition behaves: the lease, whether the watchdog renews it while the handle is held,
 * and who is told if it is lost.
 *
 * <p>Immutable and thread-safe. Start from {@link #lease(Duration)} and refine with the {@code
 * with...} methods.
 *
 * <p>Bounds: a lease is {@link #MIN_LEASE} (10 ms) to {@link #MAX_LEASE} (24 h); a hold of {@link
 * LockHandle#releaseHoldingFor} is zero to {@link #MAX_HOLD} (24 h). Longer work renews a lease
 * (the default) instead of taking a long one. Every method that takes a lease or hold checks it
 * before anything is acquired or changed, so a bad value never leaves a lock behind.
 *
 * @param lease how long the backend keeps the lock without renewal; {@link #MIN_LEASE} to {@link
 *     #MAX_LEASE}
 * @param autoRenew whether the watchdog renews the lease every third of it while held
 * @param lossListener told once if the lock is lost before release; may be {@code null}
 */
public record LockOptions(
    Duration lease, boolean autoRenew, @Nullable LockLossListener lossListener) {

  /** The shortest lease: 10 ms. */
  public static final Duration MIN_LEASE = Duration.ofMillis(10);

  /**
   * The longest lease: 24 h (a lease is renewed while held; it bounds a crashed holder's block).
   */
  public static final Duration MAX_LEASE = Duration.ofHours(24);

  /** The longest hold of {@link LockHandle#releaseHoldingFor}: 24 h from the acquisition. */
  public static final Duration MAX_HOLD = Duration.ofHours(24);

  /**
   * Validates the options.
   *
   * @throws NullPointerException if the lease is null
   * @throws IllegalArgumentException if the lease is outside {@link #MIN_LEASE}..{@link #MAX_LEASE}
   */
  public LockOptions {
    requireLease(lease, "lease");
  }

  /**
   * Checks a lease against the bounds.
   *
   * @param lease the lease
   * @param what the option's name, for the message
   * @return the lease
   * @throws NullPointerException if the lease is null
   * @throws IllegalArgumentException if the lease is outside {@link #MIN_LEASE}..{@link #MAX_LEASE}
   */
  public static Duration requireLease(Duration lease, String what) {
    Objects.requireNonNull(lease, what);
    if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
      throw new IllegalArgumentException(
          what + " must be between 10 ms and 24 h (PT24H), was " + lease);
    }
    return lease;
  }

  /**
   * Checks a hold-at-least time against the bounds.
   *
   * @param hold the hold
   * @param what the option's name, for the message
   * @return the hold
   * @throws NullPointerException if the hold is null
   * @throws IllegalArgumentException if the hold is negative or above {@link #MAX_HOLD}
   */
  public static Duration requireHold(Duration hold, String what) {
    Objects.requireNonNull(hold, what);
    if (hold.isNegative() || hold.compareTo(MAX_HOLD) > 0) {
      throw new IllegalArgumentException(
          what + " must be between zero and 24 h (PT24H), was " + hold);
    }
    return hold;
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
