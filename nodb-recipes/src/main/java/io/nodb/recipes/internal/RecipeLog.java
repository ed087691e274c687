package io.nodb.recipes.internal;

import io.nodb.lock.LockLostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipes' log lines, all starting with the stable prefix {@code [RECIPE]} and naming the
 * recipe ({@code single-flight 'prices'}, {@code jobs 'billing'}) and the key or job. Thread-safe.
 */
public final class RecipeLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.recipes");

  private RecipeLog() {}

  static void outageStarted(String what, RuntimeException error) {
    LOG.warn(
        "[RECIPE] {}: Redis is unavailable; degrading to per-process coordination (one compute per"
            + " JVM per key) until it answers again: {}",
        what,
        error.toString());
  }

  static void outageEnded(String what) {
    LOG.info("[RECIPE] {}: Redis answers again; cross-process coordination resumed", what);
  }

  /** Logs that the wait for a key's compute lock ran out and this caller computes anyway. */
  public static void computingAfterTimeout(String what, String key, RuntimeException timeout) {
    LOG.warn(
        "[RECIPE] {}: wait for key '{}' ran out, computing without the lock: {}",
        what,
        key,
        timeout.getMessage());
  }

  /** Logs that the compute lock was lost while the loader ran. */
  public static void lostWhileLoading(String what, String key, LockLostException loss) {
    LOG.warn(
        "[RECIPE] {}: lost the compute lock of key '{}' while loading ({}); another process may"
            + " compute too",
        what,
        key,
        loss.reason());
  }

  /** Logs a store operation that failed for a reason other than an outage. */
  public static void storeFailed(String what, String operation, String key, RuntimeException e) {
    LOG.warn("[RECIPE] {}: store {} for key '{}' failed: {}", what, operation, key, e.toString());
  }

  /** Logs that a job lost its lock while its task ran. */
  public static void jobLockLost(String what, String jobId, LockLostException loss) {
    LOG.warn(
        "[RECIPE] {}: job '{}' lost its lock while running ({}); another instance may start it",
        what,
        jobId,
        loss.reason());
  }

  /** Logs that a job's lock could not be taken because the backend failed. */
  public static void jobBackendFailed(String what, String jobId, RuntimeException e) {
    LOG.error(
        "[RECIPE] {}: job '{}' not run, the lock backend failed: {}", what, jobId, e.toString());
  }

  /** Logs a failed job task. */
  public static void jobFailed(String what, String jobId, Exception e) {
    LOG.warn("[RECIPE] {}: job '{}' failed", what, jobId, e);
  }

  /** Logs a skipped firing (DEBUG: it is the normal case on all but one instance). */
  public static void jobSkipped(String what, String jobId, String holder) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("[RECIPE] {}: job '{}' skipped, running on {}", what, jobId, holder);
    }
  }
}
