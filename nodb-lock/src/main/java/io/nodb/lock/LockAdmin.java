package io.nodb.lock;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operator's side of a lock backend: list runs and their held locks, force a lock free, clear a
 * run, read the audit trail. A holder's code needs none of it and uses {@link LockClient}; tools
 * (the {@code nodb} CLI, a fleet dashboard) and tests take the admin of a client with {@link
 * LockClient#admin()}, which shares the client's backend connections, so an eviction made here
 * tells this client's own evicted handles at once.
 *
 * <p>Every call is audited where it changes something (force, clear) and wakes the waiters of the
 * freed keys. Evicted holders in any process learn {@link LossReason#FORCED} or {@link
 * LossReason#CLEARED} at their next renewal, extend or release.
 *
 * <p>Thread-safe, as its client; it needs no closing of its own (closing the client ends it). Every
 * method throws {@link LockBackendUnavailableException} when the backend cannot be reached, and
 * {@link io.nodb.InvalidRunIdException} for an invalid run id.
 *
 * <p>Listing, clearing and the audit trail work per {@link LockNamespace}; the overloads taking a
 * run id are the shortcut for {@link LockNamespace#run(String)}.
 */
public interface LockAdmin {

  /**
   * Lists the held locks of one namespace, through its index (never a keyspace scan).
   *
   * @param namespace the namespace (a run, a recipe's, a program's)
   * @return the held locks, ordered by name
   */
  List<LockInfo> locks(LockNamespace namespace);

  /**
   * Lists the held locks of one run: {@link #locks(LockNamespace) locks(LockNamespace.run(runId))}.
   *
   * @param runId the run
   * @return the held locks, ordered by name
   */
  default List<LockInfo> locks(String runId) {
    return locks(LockNamespace.run(runId));
  }

  /**
   * One step of an incremental listing of the runs and lock namespaces that may hold locks (a fleet
   * view): Redis {@code SCAN}s its run index keys ({@code count} is the {@code COUNT} hint of one
   * step), the local backend lists its runs root's subdirectories that have a lock directory
   * ({@code count} per step, in name order). Never use it on a hot path.
   *
   * @param cursor {@link RunScan#START}, or the cursor of the previous step
   * @param count how many keys or directories one step examines (at least 1)
   * @return the step
   * @throws IllegalArgumentException if {@code count} is below 1 or the cursor is malformed
   */
  RunScan scanRuns(String cursor, int count);

  /**
   * Frees a lock whoever holds it, records the reason in the run's audit trail, and wakes waiters.
   * The evicted holder's renewal and release then report {@link LossReason#FORCED}.
   *
   * @param key the lock
   * @param reason why, for the audit trail; null or blank is recorded as {@code (no reason given)}
   * @return the owner that was evicted, or empty if the lock was free
   */
  Optional<LockInfo> forceUnlock(LockKey key, @Nullable String reason);

  /**
   * Frees a lock only if it is still held by the holder the caller saw: compare-and-force on the
   * holder's token digest ({@link LockInfo#tokenDigest()}), in one atomic step. What an operator
   * confirms is what is evicted; a holder that changed meanwhile is left alone.
   *
   * @param key the lock
   * @param expectedTokenDigest the digest of the holder to evict (8 hex digits)
   * @param reason why, for the audit trail; null or blank is recorded as {@code (no reason given)}
   * @return the owner that was evicted, or empty if the lock was free
   * @throws LockHolderChangedException if the lock is held by another holder (nothing evicted)
   * @throws IllegalArgumentException if the digest is not 8 lower-case hex digits
   */
  Optional<LockInfo> forceUnlock(LockKey key, String expectedTokenDigest, @Nullable String reason);

  /**
   * Frees every lock of one namespace (through its index), records the reason, and wakes waiters.
   * Other namespaces are untouched. Evicted holders learn {@link LossReason#CLEARED}.
   *
   * @param namespace the namespace
   * @param reason why, for the audit trail
   * @return the owners that were evicted
   */
  List<LockInfo> clearLocks(LockNamespace namespace, @Nullable String reason);

  /**
   * Frees every lock of one run: {@link #clearLocks(LockNamespace, String)} of its namespace.
   *
   * @param runId the run
   * @param reason why, for the audit trail; null or blank is recorded as {@code (no reason given)}
   * @return the owners that were evicted
   */
  default List<LockInfo> clearLocks(String runId, @Nullable String reason) {
    return clearLocks(LockNamespace.run(runId), reason);
  }

  /**
   * Reads a namespace's audit trail of forced unlocks and clears.
   *
   * @param namespace the namespace
   * @param limit the most entries to return, at least 1
   * @return the entries, newest first
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  List<AuditEntry> audit(LockNamespace namespace, int limit);

  /**
   * Reads a run's audit trail: {@link #audit(LockNamespace, int)} of its namespace.
   *
   * @param runId the run
   * @param limit the most entries to return, at least 1
   * @return the entries, newest first
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  default List<AuditEntry> audit(String runId, int limit) {
    return audit(LockNamespace.run(runId), limit);
  }
}
