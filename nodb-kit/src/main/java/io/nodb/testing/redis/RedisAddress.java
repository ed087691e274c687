package io.nodb.testing.redis;

import io.nodb.lock.internal.RedisUrls;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where a Redis server listens and how to log in: host, port, optional credentials and database.
 * Immutable and thread-safe.
 */
record RedisAddress(String url, String host, int port, String user, String password, int database) {

  static RedisAddress of(String host, int port) {
    return new RedisAddress("redis://" + host + ":" + port, host, port, null, null, 0);
  }

  /**
   * Parses a {@code redis://[user:password@]host[:port][/database]} URL.
   *
   * @throws IllegalArgumentException if the URL is not such a URL
   */
  static RedisAddress parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      // URI.create's message quotes the URL, password included: neither it nor the cause is kept.
      throw new IllegalArgumentException("not a redis:// URL: '" + RedisUrls.redact(url) + "'");
    }
    if (!JedisURIHelper.isValid(uri) || !JedisURIHelper.isRedisScheme(uri)) {
      throw new IllegalArgumentException(
          "not a redis:// URL with a host: '" + RedisUrls.redact(url) + "'");
    }
    HostAndPort hostAndPort = JedisURIHelper.getHostAndPort(uri);
    return new RedisAddress(
        url.trim(),
        hostAndPort.getHost(),
        hostAndPort.getPort(),
        JedisURIHelper.getUser(uri),
        JedisURIHelper.getPassword(uri),
        JedisURIHelper.getDBIndex(uri));
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(host, port);
  }

  JedisClientConfig clientConfig(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis)
        .socketTimeoutMillis(millis)
        .user(user)
        .password(password)
        .database(database)
        // RESP2 is all a probe needs; without this Jedis warns on every connection.
        .autoNegotiateProtocol(false)
        .build();
  }

  @Override
  public String toString() {
    return "redis://" + host + ":" + port + (database == 0 ? "" : "/" + database);
  }
}
