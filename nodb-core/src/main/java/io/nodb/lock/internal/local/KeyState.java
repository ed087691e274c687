package io.nodb.lock.internal.local;

import io.nodb.lock.LossReason;
import io.nodb.lock.internal.LockValueCodec;
import java.util.Optional;

/**
 * The persisted state of one lock key: its fence counter, its holder (if any) and the tokens
 * recently evicted from it.
 *
 * <p>The fence survives release, force and clear, so it grows with every acquisition for as long as
 * the state file exists. A holder whose expiry is at or before "now" counts as absent; it stays in
 * the file until the next acquisition replaces it. Immutable and thread-safe.
 *
 * @param name the lock name (recorded so listings need not decode file names)
 * @param fence the fence of the latest acquisition, 0 if never acquired
 * @param holder the holder's value in {@link LockValueCodec} format, or null
 * @param expiresAtMillis when the holder's lease runs out, epoch millis by the backend's clock
 * @param evictions tokens recently evicted by force or clear
 */
record KeyState(
    String name, long fence, String holder, long expiresAtMillis, EvictionLog evictions) {

  /** Returns the state of a key that was never acquired. */
  static KeyState fresh(String name) {
    return new KeyState(name, 0, null, 0, EvictionLog.empty());
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

  /** Returns the state after a new acquisition with the next fence. */
  KeyState acquired(String value, long newFence, long expiresAt) {
    return new KeyState(name, newFence, value, expiresAt, evictions);
  }

  /** Returns the state with the holder's lease reset to {@code expiresAt}. */
  KeyState extended(long expiresAt) {
    return new KeyState(name, fence, holder, expiresAt, evictions);
  }

  /** Returns the state with no holder (fence kept). */
  KeyState released() {
    return new KeyState(name, fence, null, 0, evictions);
  }

  /**
   * Returns the state with the current holder removed and its token remembered as evicted.
   *
   * @param reason FORCED or CLEARED
   * @param nowMillis the current time, epoch millis
   * @return the new state
   * @throws IllegalStateException if there is no holder
   */
  KeyState evicted(LossReason reason, long nowMillis) {
    if (holder == null) {
      throw new IllegalStateException("no holder to evict from lock " + name);
    }
    EvictionLog log = evictions.with(LockValueCodec.tokenOf(holder), reason, nowMillis);
    return new KeyState(name, fence, null, 0, log);
  }
}
