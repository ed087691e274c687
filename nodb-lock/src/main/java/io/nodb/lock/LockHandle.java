package io.nodb.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * One acquisition of a lock: its fence (and a digest of its unique token), and the means to extend
 * and release it. The token itself is a capability and never leaves the library.
 *
 * <p>Ownership belongs to the handle, not to a thread: a handle may be passed between threads and
 * released from any of them. While it is held and {@link LockOptions#autoRenew()} is on, a watchdog
 * renews the lease every third of it. Validity is judged on the holder's monotonic clock from the
 * moment <em>before</em> the acquire (or last renewal) was sent, minus a safety margin, so a handle
 * never believes it is valid after the backend may have expired it.
 *
 * <p>Thread-safety: all methods are safe to call concurrently. {@link #release()} is idempotent;
 * the first call decides the outcome and later calls return it again. {@link #close()} releases and
 * never throws, so a release problem never masks an exception from the guarded work.
 */
public interface LockHandle extends AutoCloseable {

  /** Returns the lock this handle holds. */
  LockKey key();

  /** Returns a short, non-secret digest of the token for logs. */
  String tokenDigest();

  /** Returns the fence: strictly greater than the fence of every earlier acquisition of the key. */
  long fence();

  /**
   * Returns whether the holder may still act as owner: not released, not lost, and the lease
   * (judged on the holder's clock, minus the safety margin) has not run out.
   */
  boolean isValid();

  /** Returns how much of the lease is left by the holder's clock; zero when not valid. */
  Duration remaining();

  /** Returns the loss, if the lock was lost before release. */
  Optional<LockLostException> loss();

  /**
   * Throws if the handle is no longer valid.
   *
   * @throws LockLostException with the recorded reason, or {@link LossReason#EXPIRED} if the lease
   *     ran out on the holder's clock
   * @throws IllegalStateException if the handle was already released
   */
  void ensureValid();

  /**
   * Extends the lease to {@code lease} from now (and uses it for later renewals).
   *
   * @param lease the new lease, {@link LockOptions#MIN_LEASE} to {@link LockOptions#MAX_LEASE}
   * @throws IllegalArgumentException if the lease is out of bounds (checked before anything else)
   * @throws LockLostException if the lock is no longer ours
   * @throws LockBackendUnavailableException if the backend cannot be reached
   * @throws IllegalStateException if the handle was already released
   */
  void extend(Duration lease);

  /**
   * Extends the lease as {@link #extend} does, but answers instead of throwing: for callers (such
   * as ShedLock's {@code extend}) to whom a lock that is no longer theirs is an expected outcome,
   * not an error. A refusal is recorded as the handle's loss (see {@link #loss()}) and logged at
   * DEBUG only.
   *
   * @param lease the new lease, {@link LockOptions#MIN_LEASE} to {@link LockOptions#MAX_LEASE}
   * @return true if the lease was extended; false if the handle was released, the lock is no longer
   *     ours, or the backend could not be reached (then nothing changed: renewal, if on, goes on)
   * @throws IllegalArgumentException if the lease is out of bounds (nothing changes then)
   */
  boolean tryExtend(Duration lease);

  /**
   * Renews the lease now, for its current length, in one round trip: the check a fenced writer
   * makes just before it publishes (the store calls it between writing its temp file and the
   * rename). It is {@link #extend(Duration) extend} with the current lease on purpose: a pure
   * ownership check would prove the lock was ours at the moment of the reply, but the lease could
   * then run out between the check and the rename; after a renewal the holder has a whole fresh
   * lease (minus the safety margin) for the few file operations that follow. A handle acquired
   * without renewal is renewed once by this call too; its validity then runs from here.
   *
   * @throws LockLostException if the lock is no longer ours (the loss is recorded on the handle)
   * @throws LockBackendUnavailableException if the backend cannot be reached
   * @throws IllegalStateException if the handle was already released
   */
  void renewNow();

  /**
   * Adds a listener told once if the lock is lost; told at once if it already was.
   *
   * @param listener the listener
   */
  void addLossListener(LockLossListener listener);

  /**
   * Releases the lock if it is still ours. Never throws: failures become {@link
   * ReleaseOutcome#BACKEND_ERROR}, which is logged at ERROR with the lease that will still expire
   * the lock. {@code NOT_OWNER} and {@code ALREADY_EXPIRED} are logged at WARN. Every outcome is
   * counted.
   *
   * @return what happened
   */
  ReleaseOutcome release();

  /**
   * Releases the lock but keeps the key held until {@code atLeast} has passed since this
   * acquisition started (judged on the holder's monotonic clock from the moment before the acquire
   * was sent): renewal stops and the handle is done at once, as after {@link #release()}, while the
   * backend keeps the key until then in one owner-checked step and then frees it on its own, so no
   * timer is left running here and a crash of this process does not shorten the hold. Waiters are
   * told to re-check and take the lock when the hold ends. If that time has already passed this is
   * {@link #release()}. Never throws; outcomes are reported, logged and counted as by {@link
   * #release()} ({@link ReleaseOutcome#RELEASED} means the key is held until the deadline and is no
   * longer this handle's).
   *
   * @param atLeast how long after the acquisition the key stays held, zero to {@link
   *     LockOptions#MAX_HOLD}
   * @return what happened
   * @throws IllegalArgumentException if {@code atLeast} is negative or above {@link
   *     LockOptions#MAX_HOLD}; checked before anything else, so the handle is still held and can be
   *     released
   */
  ReleaseOutcome releaseHoldingFor(Duration atLeast);

  /** Releases the lock as {@link #release()} does; never throws. */
  @Override
  void close();
}
