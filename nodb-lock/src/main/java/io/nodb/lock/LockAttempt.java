package io.nodb.lock;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one try for a lock ({@link LockClient#attempt}): the handle if the lock was free,
 * else who held it, as the backend saw it in the same call. Contention is a value, and it says who
 * contends.
 *
 * <p>Immutable and thread-safe; the handle inside follows the {@link LockHandle} contract (the
 * caller owns it and must close it).
 */
public final class LockAttempt {

  private final @Nullable LockHandle handle;
  private final @Nullable LockInfo holder;

  private LockAttempt(@Nullable LockHandle handle, @Nullable LockInfo holder) {
    this.handle = handle;
    this.holder = holder;
  }

  /**
   * Returns a successful attempt.
   *
   * @param handle the new handle
   * @return the attempt
   * @throws NullPointerException if the handle is null
   */
  public static LockAttempt acquired(LockHandle handle) {
    return new LockAttempt(Objects.requireNonNull(handle, "handle"), null);
  }

  /**
   * Returns an attempt that found the lock held by {@code holder}.
   *
   * @param holder who held it
   * @return the attempt
   * @throws NullPointerException if the holder is null
   */
  public static LockAttempt held(LockInfo holder) {
    return new LockAttempt(null, Objects.requireNonNull(holder, "holder"));
  }

  /**
   * Returns an attempt that found the lock held by someone who could not be read (the lock was
   * released between the two reads of a client that needs two).
   *
   * @return the attempt
   */
  public static LockAttempt heldByUnknown() {
    return new LockAttempt(null, null);
  }

  /** Returns whether the lock was taken. */
  public boolean isAcquired() {
    return handle != null;
  }

  /** Returns the handle if the lock was taken. */
  public Optional<LockHandle> handle() {
    return Optional.ofNullable(handle);
  }

  /** Returns who held the lock if it was not taken (empty if taken, or if unknown). */
  public Optional<LockInfo> holder() {
    return Optional.ofNullable(holder);
  }

  @Override
  public String toString() {
    return handle != null
        ? "acquired " + handle.key()
        : "held by " + (holder == null ? "(unknown)" : holder.describe());
  }
}
