package io.nodb.lock.internal.redis;

import io.nodb.lock.LockKey;

/**
 * The Redis key names of nodb. Every key of a run carries the hash tag {@code {runId}}, so a run
 * lives in one Redis Cluster slot and the multi-key Lua scripts stay legal. Run ids and names are
 * validated by {@link LockKey} and cannot contain braces. Stateless and thread-safe.
 */
final class RedisKeys {

  private RedisKeys() {}

  static String lock(LockKey key) {
    return "nodb-lock:{" + key.namespace().tag() + "}:" + key.name();
  }

  /**
   * The run's one fence counter: every fence of every key of the run is drawn from it, so each
   * key's fences are strictly increasing without a key per name.
   */
  static String fenceCounter(String runId) {
    return "nodb-fence:{" + runId + "}";
  }

  /**
   * The per-name fence counter of nodb 0.1.0: read (and deleted once the run's counter is above it)
   * by acquire, listing, force and clear, never written.
   */
  static String legacyFence(LockKey key) {
    return "nodb-fence:{" + key.namespace().tag() + "}:" + key.name();
  }

  /** Set (with a TTL) by a waiter that will block on the signal list; release signals only then. */
  static String waitFlag(LockKey key) {
    return "nodb-wait:{" + key.namespace().tag() + "}:" + key.name();
  }

  static String signal(LockKey key) {
    return "nodb-signal:{" + key.namespace().tag() + "}:" + key.name();
  }

  static String runIndex(String runId) {
    return "nodb-run:{" + runId + "}";
  }

  /** The {@code SCAN MATCH} pattern of every run index key. */
  static final String RUN_INDEX_PATTERN = "nodb-run:{*}";

  /**
   * Returns the run id of a run index key, or null if the key is not exactly {@code
   * nodb-run:{<valid run id>}} (a foreign key matched by the pattern).
   */
  static String runIdOfIndex(String key) {
    String prefix = "nodb-run:{";
    if (!key.startsWith(prefix) || !key.endsWith("}")) {
      return null;
    }
    String id = key.substring(prefix.length(), key.length() - 1);
    return io.nodb.lock.LockNamespace.ofTag(id).map(io.nodb.lock.LockNamespace::tag).orElse(null);
  }

  static String evicted(String runId) {
    return "nodb-evicted:{" + runId + "}";
  }

  static String audit(String runId) {
    return "nodb-audit:{" + runId + "}";
  }

  /** The result of one operator call (force or clear), kept briefly so a retry returns it. */
  static String callResult(String runId, String callId) {
    return "nodb-call:{" + runId + "}:" + callId;
  }

  /** The prefix of lock names in the run index hash. */
  static final String INDEX_LOCK_PREFIX = "lock:";
}
