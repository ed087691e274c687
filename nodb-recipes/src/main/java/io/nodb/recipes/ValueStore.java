package io.nodb.recipes;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a {@link SingleFlight} keeps computed values: the service-provider interface behind {@link
 * RedisValueStore} (shared by processes, with a TTL) and {@link CaffeineValueStore} (in this JVM,
 * no Redis needed).
 *
 * <p>Keys are the callers' own keys, any string; a store maps them onto its key space as it likes.
 * Expiry of values is the store's business (its configured TTL). Failure records are optional: a
 * store that keeps none (the defaults) still works, but then loader failures reach only the waiters
 * in the computing process and negative caching is off.
 *
 * <p>Watching is optional too: a store that can tell other processes when a key is stored (the
 * Redis one, with pub/sub) implements {@link #watch} and {@link #abandon}, and then a {@link
 * SingleFlight} waiting for another process's compute is woken with the value as soon as it is
 * stored. Without it (the defaults) waiters take the compute lock in turn to read the value, which
 * costs a few round trips per waiting process, one process after another.
 *
 * <p>Implementations must be thread-safe. They may throw unchecked exceptions; {@link SingleFlight}
 * treats a failed read as a miss and a failed write as "not cached", and logs both. A store backed
 * by Redis should throw {@link io.nodb.lock.LockBackendUnavailableException} when Redis cannot be
 * reached, so the single-flight degrades to per-process coordination.
 *
 * @param <V> the value type
 */
public interface ValueStore<V> {

  /**
   * Reads a value.
   *
   * @param key the caller's key
   * @return the value, or empty if absent or expired
   */
  Optional<V> get(String key);

  /**
   * Stores a value, replacing any earlier one, with the store's TTL. A store that supports {@link
   * #watch} delivers a {@link StoreNotice.Kind#STORED} notice to the key's watchers, and only once
   * the value can be read.
   *
   * @param key the caller's key
   * @param value never null
   */
  void put(String key, V value);

  /**
   * Records a loader failure for {@code ttl}, replacing any earlier failure of the key; a store
   * that supports {@link #watch} delivers a {@link StoreNotice.Kind#FAILED} notice, once the record
   * can be read. The default does nothing.
   *
   * @param key the caller's key
   * @param failure the failure
   * @param ttl how long to keep it
   */
  default void putFailure(String key, LoadFailure failure, Duration ttl) {}

  /**
   * Reads the last recorded loader failure of a key. The default returns empty.
   *
   * @param key the caller's key
   * @return the failure, or empty if none is recorded (or it expired)
   */
  default Optional<LoadFailure> failure(String key) {
    return Optional.empty();
  }

  /**
   * Starts watching a key for values and failures stored by any process (see {@link ValueWatch}). A
   * caller that must not miss an event watches first and then reads the key. The default returns
   * empty: this store cannot notify.
   *
   * @param key the caller's key
   * @return the watch, or empty if the store cannot notify (at all, or at the moment)
   */
  default Optional<ValueWatch<V>> watch(String key) {
    return Optional.empty();
  }

  /**
   * Tells the key's watchers that the round computing it ended without storing a value or a failure
   * (the computing caller was interrupted, or storing failed), so they stop waiting for it. The
   * default does nothing.
   *
   * @param key the caller's key
   */
  default void abandon(String key) {}

  /**
   * Returns whether this store lives on the shared backend (Redis). Calls to a remote store are
   * skipped while the backend is known to be down, so an outage does not cost a timeout per call; a
   * local store (Caffeine) is always used. The default is {@code false}.
   *
   * @return true for a store on the shared backend
   */
  default boolean isRemote() {
    return false;
  }
}
