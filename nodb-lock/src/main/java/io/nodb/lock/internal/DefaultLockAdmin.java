package io.nodb.lock.internal;

import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockAdmin;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LossReason;
import io.nodb.lock.RunScan;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's view of one {@link DefaultLockClient}: listing, force, clear and audit on the
 * client's backend, counted in its metrics, logged, and told at once to the client's own evicted
 * handles. Thread-safe; lives as long as its client.
 */
final class DefaultLockAdmin implements LockAdmin {

  private final DefaultLockClient client;

  DefaultLockAdmin(DefaultLockClient client) {
    this.client = client;
  }

  @Override
  public List<LockInfo> locks(LockNamespace namespace) {
    return client.backend().locks(namespace.tag());
  }

  @Override
  public RunScan scanRuns(String cursor, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    return client.backend().scanRuns(Objects.requireNonNull(cursor, "cursor"), count);
  }

  @Override
  public Optional<LockInfo> forceUnlock(LockKey key, String reason) {
    return force(key, null, reason);
  }

  @Override
  public Optional<LockInfo> forceUnlock(LockKey key, String expectedTokenDigest, String reason) {
    if (expectedTokenDigest == null || !expectedTokenDigest.matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException(
          "expected token digest must be 8 lower-case hex digits (as nodb status shows), was "
              + (expectedTokenDigest == null ? "null" : "'" + expectedTokenDigest + "'"));
    }
    return force(key, expectedTokenDigest, reason);
  }

  private Optional<LockInfo> force(LockKey key, String expected, String reason) {
    Optional<LockInfo> evicted =
        client.backend().forceUnlock(key, expected, reasonText(reason), client.actor());
    evicted.ifPresent(
        e -> {
          client.metrics().forced("force", 1);
          LockLog.forced(key, reasonText(reason), e.describe());
          client.tellEvicted(List.of(e), LossReason.FORCED);
        });
    client.signalRelease(key);
    return evicted;
  }

  @Override
  public List<LockInfo> clearLocks(LockNamespace namespace, String reason) {
    List<LockInfo> evicted =
        client.backend().clearRun(namespace.tag(), reasonText(reason), client.actor());
    client.metrics().forced("clear", evicted.size());
    LockLog.cleared(namespace.tag(), reasonText(reason), evicted.size());
    client.tellEvicted(evicted, LossReason.CLEARED);
    evicted.forEach(e -> client.signalRelease(e.key()));
    return evicted;
  }

  @Override
  public List<AuditEntry> audit(LockNamespace namespace, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return client.backend().audit(namespace.tag(), limit);
  }

  /** Returns {@code LockAdmin[<backend description>]}; a Redis password is never shown. */
  @Override
  public String toString() {
    return "LockAdmin[" + client.backendDescription() + "]";
  }

  private static String reasonText(String reason) {
    return reason == null || reason.isBlank() ? "(no reason given)" : reason.strip();
  }
}
