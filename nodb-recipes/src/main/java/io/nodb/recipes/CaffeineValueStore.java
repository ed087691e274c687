package io.nodb.recipes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.nodb.lock.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ValueStore} in this JVM's memory (Caffeine): values expire a fixed time after they were
 * written, and the store is bounded in size. Needs no Redis. Failure records expire after their own
 * TTL.
 *
 * <p>Used alone (a {@link SingleFlight} without a lock client) it gives single-flight within one
 * JVM. It is not shared between processes, so it cannot deduplicate across them; use {@link
 * RedisValueStore} for that.
 *
 * <p>Thread-safe.
 *
 * @param <V> the value type
 */
public final class CaffeineValueStore<V> implements ValueStore<V> {

  private final Cache<String, V> values;
  private final Cache<String, Timed> failures;

  private record Timed(LoadFailure failure, long ttlNanos) {}

  private CaffeineValueStore(Duration ttl, long maximumSize, Ticker ticker) {
    com.github.benmanes.caffeine.cache.Ticker t = ticker::read;
    this.values =
        Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).ticker(t).build();
    this.failures =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .ticker(t)
            .expireAfter(
                new Expiry<String, Timed>() {
                  @Override
                  public long expireAfterCreate(String k, Timed v, long now) {
                    return v.ttlNanos();
                  }

                  @Override
                  public long expireAfterUpdate(String k, Timed v, long now, long current) {
                    return v.ttlNanos();
                  }

                  @Override
                  public long expireAfterRead(String k, Timed v, long now, long current) {
                    return current;
                  }
                })
            .build();
  }

  /**
   * Creates a store whose values live for {@code ttl}, holding at most {@code maximumSize} values.
   *
   * @param ttl time to live after write, positive
   * @param maximumSize the most values kept, at least 1
   * @param <V> the value type
   * @return the store
   * @throws IllegalArgumentException if a bound is out of range
   */
  public static <V> CaffeineValueStore<V> create(Duration ttl, long maximumSize) {
    return create(ttl, maximumSize, Ticker.system());
  }

  /**
   * Creates a store as {@link #create(Duration, long)} does, judging expiry on {@code ticker}
   * (tests pass a fake one).
   *
   * @param ttl time to live after write, positive
   * @param maximumSize the most values kept, at least 1
   * @param ticker the monotonic clock
   * @param <V> the value type
   * @return the store
   * @throws IllegalArgumentException if a bound is out of range
   */
  public static <V> CaffeineValueStore<V> create(Duration ttl, long maximumSize, Ticker ticker) {
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
    }
    return new CaffeineValueStore<>(ttl, maximumSize, Objects.requireNonNull(ticker, "ticker"));
  }

  @Override
  public Optional<V> get(String key) {
    return Optional.ofNullable(values.getIfPresent(key));
  }

  @Override
  public void put(String key, V value) {
    values.put(key, value);
  }

  @Override
  public void putFailure(String key, LoadFailure failure, Duration ttl) {
    failures.put(key, new Timed(failure, Math.max(1, ttl.toNanos())));
  }

  @Override
  public Optional<LoadFailure> failure(String key) {
    return Optional.ofNullable(failures.getIfPresent(key)).map(Timed::failure);
  }

  /** Removes every value and failure record. */
  public void clear() {
    values.invalidateAll();
    failures.invalidateAll();
  }
}
