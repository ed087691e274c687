package io.nodb.lock.internal.redis;

import io.nodb.lock.Ticker;
import io.nodb.lock.internal.RedisAccess;
import io.nodb.lock.internal.RedisEndpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Plain string keys with a time to live on a Redis server, and pub/sub announcements of them, for
 * nodb's recipes (cached values, loader-failure records, "value ready" notices). It goes through
 * {@link RedisConnection}, so Jedis stays behind that one seam and transport failures arrive as
 * {@link io.nodb.lock.LockBackendUnavailableException}.
 *
 * <p>Keys are used as given; callers build them (with a hash tag if they want cluster slots to
 * match their locks). Thread-safe; connections are pooled ({@link RedisPools}: one pool per
 * endpoint and timeouts in the process, shared with the lock backends) and opened lazily.
 */
public final class RedisKeyValue implements RedisAccess {

  private final RedisPools.Share share;
  private final RedisConnection redis;

  /**
   * Joins the process's pool for this URL and timeouts; no connection is opened until the first
   * call.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size this user needs, at least 1
   * @throws IllegalArgumentException if the URL cannot be parsed or a value is out of range
   */
  public RedisKeyValue(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections) {
    Objects.requireNonNull(url, "url");
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, was " + maxConnections);
    }
    this.share =
        RedisPools.join(RedisEndpoint.parse(url), connectTimeout, readTimeout, maxConnections);
    this.redis = share.connection();
  }

  /**
   * Reads a key.
   *
   * @param key the key
   * @return its value, or empty if it does not exist (or has expired)
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  @Override
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
  @Override
  public void set(String key, String value, Duration ttl) {
    redis.setWithTtl(key, value, ttl);
  }

  /**
   * Writes a key that expires after {@code ttl} and publishes {@code prefix} on {@code channel} in
   * the same step, followed by the value when {@code withValue}: a subscriber either gets the
   * message or, subscribing later, finds the key.
   *
   * @param key the key
   * @param value the value
   * @param ttl the time to live (at least 1 ms)
   * @param channel the channel to announce on
   * @param prefix the message, or its start when the value follows
   * @param withValue whether the message carries the value after the prefix
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  @Override
  public void setAndPublish(
      String key, String value, Duration ttl, String channel, String prefix, boolean withValue) {
    redis.setAndPublish(key, value, ttl, channel, prefix, withValue);
  }

  /**
   * Publishes a message.
   *
   * @param channel the channel
   * @param message the message
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  @Override
  public void publish(String channel, String message) {
    redis.publish(channel, message);
  }

  /**
   * Returns the topics of one pub/sub channel on this server, received over one dedicated
   * connection opened when first needed (the caller closes it). Each call makes a new, independent
   * {@link RedisTopics} with its own connection and reader thread: call it once per channel.
   *
   * @param channel the channel whose messages are {@code <topic>|<body>}
   * @param threadName the name of the connection's reader thread
   * @param retryAfter how long to wait after a broken connection before opening another
   * @param checkAfterIdle how long the connection may be silent before a registration pings it
   * @return the topics
   */
  @Override
  public RedisTopics topics(
      String channel, String threadName, Duration retryAfter, Duration checkAfterIdle) {
    return new RedisTopics(redis, channel, threadName, Ticker.system(), retryAfter, checkAfterIdle);
  }

  /**
   * Deletes a key.
   *
   * @param key the key
   * @return whether it existed
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  @Override
  public boolean delete(String key) {
    return redis.delete(key);
  }

  @Override
  public String describe() {
    return redis.endpoint().toString();
  }

  /** Gives this share of the pool back (the pool closes with its last user); never throws. */
  @Override
  public void close() {
    share.close();
  }
}
