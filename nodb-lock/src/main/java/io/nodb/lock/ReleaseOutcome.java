package io.nodb.lock;

/**
 * What happened when a holder released its lock. Release never throws; it reports one of these.
 *
 * <ul>
 *   <li>{@link #RELEASED}: the lock was ours and is now free; waiters were woken.
 *   <li>{@link #ALREADY_EXPIRED}: the lease ran out before the release and nobody holds the lock.
 *   <li>{@link #NOT_OWNER}: somebody else holds it now, or it was forced or cleared from under us.
 *       Nothing was deleted.
 *   <li>{@link #BACKEND_ERROR}: the backend could not be reached or did not answer; the lock, if
 *       still ours, expires when its lease runs out.
 * </ul>
 */
public enum ReleaseOutcome {
  /** The lock was ours and has been deleted. */
  RELEASED,
  /** The lease had already run out and the lock was free. */
  ALREADY_EXPIRED,
  /** Another token holds the lock, or ours was forced or cleared; nothing was deleted. */
  NOT_OWNER,
  /** The backend failed; the lease will still expire the lock. */
  BACKEND_ERROR
}
