package io.nodb.lock.internal;

import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where locks live: the service-provider seam between {@link DefaultLockClient} (tokens, waiting,
 * renewal, validity, metrics, logging) and a store that can compare-and-act atomically.
 *
 * <p>Every operation is atomic with respect to every other operation on the same key, across all
 * processes that share the backend. Ownership is always checked against the token. Implementations
 * are thread-safe and translate their transport errors into {@code
 * LockBackendUnavailableException}.
 */
public interface LockBackend extends AutoCloseable {

  /**
   * Takes the lock if it is free: stores the token with the owner stamp for {@code
   * owner.leaseMillis()}, increments the key's fence, and records the key in the run's index.
   *
   * @param key the lock
   * @param token the new acquisition's token
   * @param owner who is acquiring, and for how long
   * @return the outcome, with the fence or the current holder
   */
  AcquireAttempt tryAcquire(LockKey key, String token, OwnerStamp owner);

  /**
   * Takes the lock as {@link #tryAcquire(LockKey, String, OwnerStamp)} does; when it is held and
   * {@code willWait} is set, also records (in the same atomic step) that a waiter is about to wait
   * in {@link #awaitRelease}, so that the release signals it; not when the holder's token starts
   * with {@code localTag} (a holder of the caller's own client, whose release wakes the caller
   * locally). Backends that signal every release need not override this.
   *
   * @param key the lock
   * @param token the new acquisition's token
   * @param owner who is acquiring, and for how long
   * @param willWait whether the caller will wait for a release if the lock is held
   * @param localTag the token prefix of the caller's client ({@code ""} for none)
   * @return the outcome, with the fence or the current holder
   */
  default AcquireAttempt tryAcquire(
      LockKey key, String token, OwnerStamp owner, boolean willWait, String localTag) {
    return tryAcquire(key, token, owner);
  }

  /**
   * Deletes the lock if {@code token} holds it, and signals waiters.
   *
   * @param key the lock
   * @param token the holder's token
   * @return owned (released), or why not
   */
  OwnershipResult release(LockKey key, String token);

  /**
   * Releases the lock but keeps it held until {@code holdMillis} from now: if {@code token} holds
   * it, its expiry becomes exactly that (shorter or longer than the lease left) and waiters are
   * told to re-check; the key is then free once that time has passed. {@code holdMillis <= 0} is a
   * plain {@link #release}.
   *
   * @param key the lock
   * @param token the holder's token
   * @param holdMillis how long the key stays held from now
   * @return owned (held until then, no longer the caller's to renew), or why not
   */
  OwnershipResult releaseHolding(LockKey key, String token, long holdMillis);

  /**
   * Resets the lock's expiry to {@code leaseMillis} from now if {@code token} holds it.
   *
   * @param key the lock
   * @param token the holder's token
   * @param leaseMillis the new lease
   * @return owned (extended), or why not
   */
  OwnershipResult extend(LockKey key, String token, long leaseMillis);

  /**
   * Raises the key's fence counter above {@code floor} and gives the holder's lock that new fence,
   * if {@code token} holds the lock and its fence is not already above {@code floor}.
   *
   * @param key the lock
   * @param token the holder's token
   * @param floor the fence to exceed
   * @return the holder's fence afterwards, or -1 if the token does not hold the lock
   */
  long liftFence(LockKey key, String token, long floor);

  /**
   * Reads the current holder.
   *
   * @param key the lock
   * @return the holder, or empty when free
   */
  Optional<LockInfo> owner(LockKey key);

  /**
   * Lists the held locks of a run through its index.
   *
   * @param runId the run
   * @return held locks ordered by name
   */
  List<LockInfo> locks(String runId);

  /**
   * Frees a lock whoever holds it (or, with {@code expectedDigest}, only if its holder's token has
   * that digest), records it in the audit trail and wakes waiters.
   *
   * @param key the lock
   * @param expectedDigest the holder's token digest to require, or null for any holder
   * @param reason why
   * @param actor who
   * @return the evicted holder, or empty if the lock was free
   * @throws io.nodb.lock.LockHolderChangedException if held by a holder with another digest
   */
  Optional<LockInfo> forceUnlock(LockKey key, String expectedDigest, String reason, String actor);

  /** Frees a lock whoever holds it ({@link #forceUnlock(LockKey, String, String, String)}). */
  default Optional<LockInfo> forceUnlock(LockKey key, String reason, String actor) {
    return forceUnlock(key, null, reason, actor);
  }

  /**
   * Deletes every lock of the run, as {@link #forceUnlock} does for one, with reason CLEARED.
   *
   * @param runId the run
   * @param reason the operator's reason
   * @param actor who cleared
   * @return the evicted holders
   */
  List<LockInfo> clearRun(String runId, String reason, String actor);

  /**
   * One step of an incremental listing of the runs that may hold locks (admin only).
   *
   * @param cursor {@link io.nodb.lock.RunScan#START} or the previous step's cursor
   * @param count how many keys or directories one step examines (at least 1)
   * @return the step
   */
  io.nodb.lock.RunScan scanRuns(String cursor, int count);

  /**
   * Reads the run's audit trail.
   *
   * @param runId the run
   * @param limit the most entries to return
   * @return the entries, newest first
   */
  List<AuditEntry> audit(String runId, int limit);

  /**
   * Blocks until the key is released, forced or cleared (as signalled by this backend), or until
   * {@code maxNanos} has passed, whichever comes first. May return early; the caller re-checks.
   *
   * @param key the lock
   * @param maxNanos the longest wait
   * @param attempt how many times the caller has waited already (for backoff where polling)
   * @throws InterruptedException if interrupted while waiting
   */
  void awaitRelease(LockKey key, long maxNanos, int attempt) throws InterruptedException;

  /**
   * Returns this backend's lock domain. Redis: the deployment id kept in the server (key {@code
   * nodb-domain}), set on first use to {@code adopt} when given (a recorded run's id, so a server
   * that lost it after a restart takes it back) or else to a new random id.
   *
   * @param adopt the id to set if the server has none, or null for a new one
   * @return the domain
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  LockDomain domain(String adopt);

  /**
   * Measures one round trip.
   *
   * @return the round-trip time
   */
  Duration ping();

  /** Returns a description without credentials. */
  String describe();

  /** Closes connections; never throws. */
  @Override
  void close();
}
