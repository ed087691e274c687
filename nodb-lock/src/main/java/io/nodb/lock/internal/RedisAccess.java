package io.nodb.lock.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * Plain string keys with a time to live on a Redis server, and pub/sub announcements of them: what
 * the store's Redis cache and the recipes' Redis value store need of Redis, handed out by {@link
 * RedisSupport#access}. The implementation lives in nodb-lock-redis, so callers of this interface
 * never see Jedis.
 *
 * <p>Each instance is one user's share of the process's connection pool for its URL and timeouts
 * (the same pool as the lock clients on that URL): {@link #close()} gives the share back, and the
 * pool closes with its last user. Keys are used as given. Thread-safe; connections open lazily.
 * Transport failures throw {@link io.nodb.lock.LockBackendUnavailableException}.
 */
public interface RedisAccess extends AutoCloseable {

  /**
   * Reads a key.
   *
   * @param key the key
   * @return its value, or empty if it does not exist (or has expired)
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  Optional<String> get(String key);

  /**
   * Writes a key that expires after {@code ttl}.
   *
   * @param key the key
   * @param value the value
   * @param ttl the time to live, rounded down to milliseconds (at least 1 ms)
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  void set(String key, String value, Duration ttl);

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
  void setAndPublish(
      String key, String value, Duration ttl, String channel, String prefix, boolean withValue);

  /**
   * Publishes a message.
   *
   * @param channel the channel
   * @param message the message
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  void publish(String channel, String message);

  /**
   * Returns the topics of one pub/sub channel on this server, received over one dedicated
   * connection (not from the pool) opened when first needed; the caller closes it. Each call makes
   * new, independent topics with their own connection and reader thread: call it once per channel.
   *
   * @param channel the channel whose messages are {@code <topic>|<body>}
   * @param threadName the name of the connection's reader thread
   * @param retryAfter how long to wait after a broken connection before opening another
   * @param checkAfterIdle how long the connection may be silent before a registration pings it
   * @return the topics
   */
  Topics topics(String channel, String threadName, Duration retryAfter, Duration checkAfterIdle);

  /**
   * Deletes a key.
   *
   * @param key the key
   * @return whether it existed
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  boolean delete(String key);

  /**
   * Returns the server without credentials, e.g. {@code redis://127.0.0.1:6379}.
   *
   * @return the description
   */
  String describe();

  /** Gives this share of the pool back (the pool closes with its last user); never throws. */
  @Override
  void close();
}
