package io.nodb.lock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Takes, inspects and frees token-owned, fenced locks on a backend (Redis, or files on this host).
 *
 * <p>Contention is a value: {@link #tryAcquire} returns an empty {@code Optional} when the lock is
 * held. {@link #acquire} waits up to a deadline and is woken when the lock is released, forced or
 * cleared; it re-checks at the holder's remaining TTL so an expired lock is noticed without a
 * signal. Threads of one JVM that wait for the same key queue locally, so only one of them talks to
 * the backend at a time.
 *
 * <p>Thread-safety: a client is safe for concurrent use by any number of threads and should be
 * shared (one per backend per JVM). {@link #close()} stops its watchdog and closes connections;
 * handles still held stop being renewed and expire after their lease.
 *
 * <p>Every method that talks to the backend throws {@link LockBackendUnavailableException} when it
 * cannot be reached within the configured connect or read timeout. Create clients with {@link
 * LockClientBuilder#create()}.
 */
public interface LockClient extends AutoCloseable {

  /**
   * Takes the lock if it is free, with the default lease renewed by the watchdog.
   *
   * @param key the lock
   * @return the handle, or empty if another token holds the lock
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  Optional<LockHandle> tryAcquire(LockKey key);

  /**
   * Takes the lock if it is free.
   *
   * @param key the lock
   * @param options lease, renewal and loss listener
   * @return the handle, or empty if another token holds the lock
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  Optional<LockHandle> tryAcquire(LockKey key, LockOptions options);

  /**
   * Takes the lock if it is free, else tells who holds it: one backend call where {@link
   * #tryAcquire} and {@link #owner} would be two, between which the holder could change. The
   * default makes those two calls; the built-in clients make one.
   *
   * @param key the lock
   * @param options lease, renewal and loss listener
   * @return the handle, or the holder the backend saw
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  default LockAttempt attempt(LockKey key, LockOptions options) {
    Optional<LockHandle> mine = tryAcquire(key, options);
    if (mine.isPresent()) {
      return LockAttempt.acquired(mine.get());
    }
    return owner(key).map(LockAttempt::held).orElseGet(LockAttempt::heldByUnknown);
  }

  /**
   * Takes the lock, waiting up to {@code wait}, with a lease renewed by the watchdog.
   *
   * @param key the lock
   * @param lease the lease
   * @param wait how long to wait at most; zero means one attempt
   * @return the handle
   * @throws LockTimeoutException naming the owner, its fence and TTL left, if the wait ran out
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  LockHandle acquire(LockKey key, Duration lease, Duration wait);

  /**
   * Takes the lock, waiting up to {@code wait}.
   *
   * @param key the lock
   * @param options lease, renewal and loss listener
   * @param wait how long to wait at most; zero means one attempt
   * @return the handle
   * @throws LockTimeoutException naming the owner, its fence and TTL left, if the wait ran out
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  LockHandle acquire(LockKey key, LockOptions options, Duration wait);

  /**
   * Returns whether any token holds the lock (not whether the caller does).
   *
   * @param key the lock
   * @return true if held
   */
  boolean isLocked(LockKey key);

  /**
   * Returns who holds the lock.
   *
   * @param key the lock
   * @return the owner, or empty if the lock is free
   */
  Optional<LockInfo> owner(LockKey key);

  /**
   * Lists the held locks of one run, through the run's index (never a keyspace scan).
   *
   * @param runId the run
   * @return the held locks, ordered by name
   */
  List<LockInfo> locks(String runId);

  /**
   * One step of an incremental listing of the runs and lock namespaces that may hold locks, for
   * admin tools (a fleet view): Redis {@code SCAN}s its run index keys ({@code count} is the {@code
   * COUNT} hint of one step), the local backend lists its runs root's subdirectories that have a
   * lock directory ({@code count} per step, in name order). Never use it on a hot path.
   *
   * @param cursor {@link RunScan#START}, or the cursor of the previous step
   * @param count how many keys or directories one step examines (at least 1)
   * @return the step
   * @throws IllegalArgumentException if {@code count} is below 1 or the cursor is malformed
   * @throws UnsupportedOperationException if this client cannot list runs
   */
  default RunScan scanRuns(String cursor, int count) {
    throw new UnsupportedOperationException("this lock client cannot list runs");
  }

  /**
   * Frees a lock whoever holds it, records the reason in the run's audit trail, and wakes waiters.
   * The evicted holder's renewal and release then report {@link LossReason#FORCED}.
   *
   * @param key the lock
   * @param reason why, for the audit trail
   * @return the owner that was evicted, or empty if the lock was free
   */
  Optional<LockInfo> forceUnlock(LockKey key, String reason);

  /**
   * Frees a lock only if it is still held by the holder the caller saw: compare-and-force on the
   * holder's token digest ({@link LockInfo#tokenDigest()}), in one atomic step. What an operator
   * confirms is what is evicted; a holder that changed meanwhile is left alone.
   *
   * @param key the lock
   * @param expectedTokenDigest the digest of the holder to evict (8 hex digits)
   * @param reason why, for the audit trail
   * @return the owner that was evicted, or empty if the lock was free
   * @throws LockHolderChangedException if the lock is held by another holder (nothing evicted)
   * @throws IllegalArgumentException if the digest is not 8 lower-case hex digits
   */
  Optional<LockInfo> forceUnlock(LockKey key, String expectedTokenDigest, String reason);

  /**
   * Frees every lock of one run (through its index), records the reason, and wakes waiters. Other
   * runs are untouched. Evicted holders learn {@link LossReason#CLEARED}.
   *
   * @param runId the run
   * @param reason why, for the audit trail
   * @return the owners that were evicted
   */
  List<LockInfo> clearLocks(String runId, String reason);

  /**
   * Reads a run's audit trail of forced unlocks and clears.
   *
   * @param runId the run
   * @param limit the most entries to return
   * @return the entries, newest first
   */
  List<AuditEntry> audit(String runId, int limit);

  /**
   * Checks that the backend answers.
   *
   * @return the round-trip time
   * @throws LockBackendUnavailableException if it does not
   */
  Duration ping();

  /**
   * Returns where this client's locks live: local files, or which Redis deployment (by the id kept
   * in the server, not by URL). The store refuses to lock a run recorded for another domain.
   *
   * @return the domain
   * @throws LockBackendUnavailableException if Redis cannot be reached
   */
  LockDomain domain();

  /** Returns a description of the backend without credentials, e.g. {@code redis://host:6379}. */
  String backendDescription();

  /** Stops renewals and closes connections. Never throws. */
  @Override
  void close();
}
