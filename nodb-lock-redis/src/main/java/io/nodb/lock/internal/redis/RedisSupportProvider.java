package io.nodb.lock.internal.redis;

import io.nodb.lock.internal.LockBackend;
import io.nodb.lock.internal.RedisAccess;
import io.nodb.lock.internal.RedisSupport;
import java.time.Clock;
import java.time.Duration;

/**
 * nodb-lock-redis's implementation of {@link RedisSupport}, registered for {@link
 * java.util.ServiceLoader}: lock backends and key/value access on the process's shared pools
 * ({@link RedisPools}). Stateless and thread-safe; a public no-argument constructor for the service
 * loader.
 */
public final class RedisSupportProvider implements RedisSupport {

  /** Creates the provider (the service loader does). */
  public RedisSupportProvider() {}

  @Override
  public LockBackend lockBackend(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections, Clock clock) {
    return new RedisLockBackend(url, connectTimeout, readTimeout, maxConnections, clock);
  }

  @Override
  public RedisAccess access(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections) {
    return new RedisKeyValue(url, connectTimeout, readTimeout, maxConnections);
  }

  @Override
  public io.nodb.lock.RedisServerReport serverReport(String url, java.time.Duration timeout) {
    return RedisDiagnostics.read(url, timeout);
  }
}
