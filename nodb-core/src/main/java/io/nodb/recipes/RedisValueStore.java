package io.nodb.recipes;

import io.nodb.lock.internal.redis.RedisKeyValue;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.StoredText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ValueStore} in Redis, shared by every process that uses the same URL and name: values
 * expire after a TTL, encoded to text by a {@link ValueCodec}.
 *
 * <p>Key layout for a store named {@code prices}: the value of user key {@code k} lives at {@code
 * nodb-sf-value:{sf-prices}:<h>} and its last loader failure at {@code
 * nodb-sf-failure:{sf-prices}:<h>}, where {@code h} is the first 40 hex digits of SHA-256 of {@code
 * k}. The hash tag {@code {sf-prices}} is the run id of the single-flight's compute locks, so a
 * store and its locks share a Redis Cluster slot. The stored text starts with the user key itself
 * ({@code <length>:<key><encoded value>}); a read whose key does not match is treated as a miss.
 *
 * <p>Thread-safe. Close it to release its connections (it owns them). Transport failures throw
 * {@link io.nodb.lock.LockBackendUnavailableException}.
 *
 * <pre>{@code
 * RedisValueStore<Quote> store =
 *     RedisValueStore.builder("redis://cache:6379", "quotes", ValueCodec.json(Quote.class))
 *         .ttl(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * @param <V> the value type
 */
public final class RedisValueStore<V> implements ValueStore<V>, AutoCloseable {

  private final RedisKeyValue redis;
  private final String runId;
  private final ValueCodec<V> codec;
  private final Duration ttl;

  private RedisValueStore(Builder<V> b) {
    this.runId = RecipeKeys.runId("sf", b.name);
    this.codec = b.codec;
    this.ttl = b.ttl;
    this.redis = new RedisKeyValue(b.url, b.connectTimeout, b.readTimeout, b.maxConnections);
  }

  /**
   * Returns a builder.
   *
   * @param url the Redis URL ({@code redis://[user:password@]host:port[/db]} or {@code rediss://})
   * @param name the store's name; use the same name as the {@link SingleFlight} it serves
   * @param codec turns values into text and back
   * @param <V> the value type
   * @return the builder
   */
  public static <V> Builder<V> builder(String url, String name, ValueCodec<V> codec) {
    return new Builder<>(url, name, codec);
  }

  @Override
  public boolean isRemote() {
    return true;
  }

  @Override
  public Optional<V> get(String key) {
    return redis
        .get(RecipeKeys.redisKey("sf-value", runId, key))
        .flatMap(text -> StoredText.unwrap(key, text))
        .map(codec::decode);
  }

  @Override
  public void put(String key, V value) {
    redis.set(
        RecipeKeys.redisKey("sf-value", runId, key),
        StoredText.wrap(key, codec.encode(value)),
        ttl);
  }

  @Override
  public void putFailure(String key, LoadFailure failure, Duration ttl) {
    redis.set(
        RecipeKeys.redisKey("sf-failure", runId, key),
        StoredText.wrap(key, StoredText.encodeFailure(failure)),
        ttl);
  }

  @Override
  public Optional<LoadFailure> failure(String key) {
    return redis
        .get(RecipeKeys.redisKey("sf-failure", runId, key))
        .flatMap(text -> StoredText.unwrap(key, text))
        .flatMap(StoredText::decodeFailure);
  }

  /**
   * Deletes the value of a key (and its failure record), e.g. to force the next call to recompute.
   *
   * @param key the caller's key
   * @return whether a value existed
   */
  public boolean invalidate(String key) {
    redis.delete(RecipeKeys.redisKey("sf-failure", runId, key));
    return redis.delete(RecipeKeys.redisKey("sf-value", runId, key));
  }

  /** Returns the TTL of values. */
  public Duration ttl() {
    return ttl;
  }

  /** Closes the connection pool; never throws. */
  @Override
  public void close() {
    redis.close();
  }

  /**
   * Configures a {@link RedisValueStore}. Defaults: TTL 5 minutes, connect and read timeouts 2 s,
   * 16 connections. Not thread-safe.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final String url;
    private final String name;
    private final ValueCodec<V> codec;
    private Duration ttl = Duration.ofMinutes(5);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(2);
    private int maxConnections = 16;

    private Builder(String url, String name, ValueCodec<V> codec) {
      this.url = Objects.requireNonNull(url, "url");
      this.name = name;
      RecipeKeys.runId("sf", name);
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Sets how long values live.
     *
     * @param ttl at least 1 ms
     * @return this builder
     */
    public Builder<V> ttl(Duration ttl) {
      this.ttl = atLeastOneMilli(ttl, "ttl");
      return this;
    }

    /**
     * Sets the connect timeout.
     *
     * @param timeout at least 1 ms
     * @return this builder
     */
    public Builder<V> connectTimeout(Duration timeout) {
      this.connectTimeout = atLeastOneMilli(timeout, "connect timeout");
      return this;
    }

    /**
     * Sets the read timeout of one call.
     *
     * @param timeout at least 1 ms
     * @return this builder
     */
    public Builder<V> readTimeout(Duration timeout) {
      this.readTimeout = atLeastOneMilli(timeout, "read timeout");
      return this;
    }

    /**
     * Sets the connection pool size.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder<V> maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, was " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * Builds the store; connections open lazily.
     *
     * @return the store
     * @throws IllegalArgumentException if the URL cannot be parsed
     */
    public RedisValueStore<V> build() {
      return new RedisValueStore<>(this);
    }

    private static Duration atLeastOneMilli(Duration d, String what) {
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException(what + " must be at least 1 ms, was " + d);
      }
      return d;
    }
  }
}
