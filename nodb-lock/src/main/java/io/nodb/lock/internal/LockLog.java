package io.nodb.lock.internal;

import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.lock.ReleaseOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock client's log lines. Every line starts with the stable prefix {@code [LOCK]}, then the
 * event, then {@code run=}, {@code key=} and {@code token=} (a short digest, never the token), so
 * operators can grep and alert on them. Levels: release NOT_OWNER / ALREADY_EXPIRED and losses at
 * WARN; backend errors at ERROR with the lease that will still expire the lock. Thread-safe.
 */
final class LockLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.lock");

  private LockLog() {}

  static boolean debugEnabled() {
    return LOG.isDebugEnabled();
  }

  static void warn(String message) {
    LOG.warn("[LOCK] {}", message);
  }

  static void releaseOutcome(
      LockKey key, String tokenDigest, long fence, ReleaseOutcome outcome, String detail) {
    switch (outcome) {
      case RELEASED -> {
        if (LOG.isDebugEnabled()) {
          LOG.debug("[LOCK] released {} fence={}", where(key, tokenDigest), fence);
        }
      }
      case NOT_OWNER, ALREADY_EXPIRED ->
          LOG.warn(
              "[LOCK] release {} {} fence={}: {}", outcome, where(key, tokenDigest), fence, detail);
      case BACKEND_ERROR ->
          LOG.error(
              "[LOCK] release BACKEND_ERROR {} fence={}: {}",
              where(key, tokenDigest),
              fence,
              detail);
    }
  }

  static void releaseFailed(LockKey key, String tokenDigest, long fence, Throwable error) {
    LOG.error(
        "[LOCK] release BACKEND_ERROR {} fence={}: the lock stays until its lease runs out",
        where(key, tokenDigest),
        fence,
        error);
  }

  static void lost(LockLostException loss, String tokenDigest) {
    LOG.warn(
        "[LOCK] lost {} fence={} reason={}: {}",
        where(loss.key(), tokenDigest),
        loss.fence(),
        loss.reason(),
        loss.getMessage());
  }

  /** A loss the caller asked to learn as a value ({@code tryExtend}): DEBUG only. */
  static void lostQuietly(LockLostException loss, String tokenDigest) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "[LOCK] lost {} fence={} reason={} (tryExtend): {}",
          where(loss.key(), tokenDigest),
          loss.fence(),
          loss.reason(),
          loss.getMessage());
    }
  }

  static void tryExtendFailed(LockKey key, String tokenDigest, RuntimeException error) {
    LOG.warn(
        "[LOCK] tryExtend could not reach the backend {}: {}",
        where(key, tokenDigest),
        error.toString());
  }

  static void renewalFailed(LockKey key, String tokenDigest, long leftMillis, Throwable error) {
    LOG.warn(
        "[LOCK] renewal failed {}: {} ms of lease left by the holder's clock, will retry: {}",
        where(key, tokenDigest),
        leftMillis,
        error.toString());
  }

  static void notScheduled(
      LockKey key, String tokenDigest, Object scheduler, RuntimeException error) {
    LOG.warn(
        "[LOCK] not renewed {}: {} refused the task, the lease runs out unless extended: {}",
        where(key, tokenDigest),
        scheduler,
        error.toString());
  }

  static void forced(LockKey key, String reason, String previous) {
    LOG.warn(
        "[LOCK] forced run={} key={} reason='{}' previous={}",
        key.namespace().tag(),
        key.name(),
        reason,
        previous);
  }

  static void cleared(String runId, String reason, int count) {
    LOG.warn("[LOCK] cleared run={} count={} reason='{}'", runId, count, reason);
  }

  static void listenerFailed(LockKey key, String tokenDigest, RuntimeException error) {
    LOG.error("[LOCK] loss listener threw {}", where(key, tokenDigest), error);
  }

  private static String where(LockKey key, String tokenDigest) {
    return "run=" + key.namespace().tag() + " key=" + key.name() + " token=" + tokenDigest;
  }
}
