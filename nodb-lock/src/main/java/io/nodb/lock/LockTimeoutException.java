package io.nodb.lock;

import io.nodb.NoDbException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link LockClient#acquire} when the lock was not obtained before the deadline. The
 * message names the lock, how long the caller waited, and the current owner with its fence and TTL
 * left, when the owner could be read.
 */
public final class LockTimeoutException extends NoDbException {

  private final transient LockKey key;
  private final transient Duration waited;
  private final transient @Nullable LockInfo owner;

  /**
   * Creates the exception.
   *
   * @param key the lock
   * @param waited how long the caller waited
   * @param owner the owner at the time of the last attempt, if known
   */
  public LockTimeoutException(LockKey key, Duration waited, Optional<LockInfo> owner) {
    super(
        "timed out after "
            + waited.toMillis()
            + " ms waiting for lock "
            + key
            + owner
                .map(o -> ", held by " + o.describe())
                .orElse(" (owner unknown or just released)"));
    this.key = key;
    this.waited = waited;
    this.owner = owner.orElse(null);
  }

  /** Returns the lock that was not obtained. */
  public LockKey key() {
    return key;
  }

  /** Returns how long the caller waited. */
  public Duration waited() {
    return waited;
  }

  /** Returns the owner seen at the last attempt, if any. */
  public Optional<LockInfo> owner() {
    return Optional.ofNullable(owner);
  }
}
