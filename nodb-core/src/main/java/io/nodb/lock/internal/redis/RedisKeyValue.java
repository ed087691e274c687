package io.nodb.lock.internal.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Plain string keys with a time to live on a Redis server, for nodb's recipes (cached values and
 * loader-failure records). It goes through {@link RedisConnection}, so Jedis stays behind that one
 * seam and transport failures arrive as {@link io.nodb.lock.LockBackendUnavailableException}.
 *
 * <p>Keys are used as given; callers build them (with a hash tag if they want cluster slots to
 * match their locks). Thread-safe; connections are pooled and opened lazily.
 */
public final class RedisKeyValue implements AutoCloseable {

  private final RedisConnection redis;

  /**
   * Creates the store; no connection is opened until the first call.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size, at least 1
   * @throws IllegalArgumentException if the URL cannot be parsed or a value is out of range
   */
  public RedisKeyValue(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections) {
    Objects.requireNonNull(url, "url");
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, was " + maxConnections);
    }
    this.redis =
        new RedisConnection(
            RedisEndpoint.parse(url), connectTimeout, readTimeout, maxConnections, Duration.ZERO);
  }

  /**
   * Reads a key.
   *
   * @param key the key
   * @return its value, or empty if it does not exist (or has expired)
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(redis.get(key));
  }

  /**
   * Writes a key that expires after {@code ttl}.
   *
   * @param key the key
   * @param value the value
   * @param ttl the time to live, rounded down to milliseconds (at least 1 ms)
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  public void set(String key, String value, Duration ttl) {
    redis.setWithTtl(key, value, ttl);
  }

  /**
   * Deletes a key.
   *
   * @param key the key
   * @return whether it existed
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  public boolean delete(String key) {
    return redis.delete(key);
  }

  /** Returns the server without credentials, e.g. {@code redis://127.0.0.1:6379}. */
  public String describe() {
    return redis.endpoint().toString();
  }

  /** Closes the connection pool; never throws. */
  @Override
  public void close() {
    redis.close();
  }
}
