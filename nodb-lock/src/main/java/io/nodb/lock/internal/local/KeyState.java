package io.nodb.lock.internal.local;

import io.nodb.lock.internal.LockValueCodec;
import java.util.Optional;

/**
 * The persisted state of one lock key ({@code B.lock}): its holder (if any) with the holder's fence
 * and expiry.
 *
 * <p>The file exists while the key is held (and after its holder's lease ran out, until the key is
 * touched again); a release removes it, and the run's fence counter ({@link RunRecords}) carries
 * the fences across. A holder whose expiry is at or before "now" counts as absent. A state read
 * from the old per-key layout ({@code legacy}, format 1) also carries the key's own fence when free
 * and the tokens recently evicted from it. Immutable and thread-safe.
 *
 * @param name the lock name (recorded so listings need not decode file names)
 * @param fence the fence of the latest acquisition recorded here, 0 if none
 * @param holder the holder's value in {@link LockValueCodec} format, or null
 * @param expiresAtMillis when the holder's lease runs out, epoch millis by the backend's clock
 * @param evictions tokens recently evicted by force or clear (old layout only; else empty)
 * @param legacy whether the file is of the old per-key layout (format 1)
 */
record KeyState(
    String name,
    long fence,
    String holder,
    long expiresAtMillis,
    EvictionLog evictions,
    boolean legacy) {

  /** Returns the state of a key that has no state file. */
  static KeyState fresh(String name) {
    return new KeyState(name, 0, null, 0, EvictionLog.empty(), false);
  }

  /**
   * Returns the holder's value if its lease has not run out at {@code nowMillis}.
   *
   * @param nowMillis the current time, epoch millis
   * @return the live holder value, or empty
   */
  Optional<String> liveHolder(long nowMillis) {
    return holder != null && expiresAtMillis > nowMillis ? Optional.of(holder) : Optional.empty();
  }

  /** Returns whether {@code token} holds the key at {@code nowMillis}. */
  boolean isHeldBy(String token, long nowMillis) {
    return liveHolder(nowMillis).filter(v -> LockValueCodec.isHeldBy(v, token)).isPresent();
  }

  /** Returns the state (of the current layout) after an acquisition or lift with a new fence. */
  KeyState acquired(String value, long newFence, long expiresAt) {
    return new KeyState(name, newFence, value, expiresAt, EvictionLog.empty(), false);
  }

  /**
   * Returns the state (of the current layout) with the holder's lease reset to {@code expiresAt}.
   */
  KeyState extended(long expiresAt) {
    return new KeyState(name, fence, holder, expiresAt, EvictionLog.empty(), false);
  }
}
