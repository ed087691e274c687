package io.nodb.lock.internal;

import io.nodb.lock.LockClient;
import io.nodb.lock.internal.local.LocalLockBackend;

/**
 * Builds a {@link LockClient} for a configuration: picks the backend and wires the client. The
 * Redis backend comes from nodb-lock-redis through {@link RedisSupport}.
 */
public final class LockClientFactory {

  private LockClientFactory() {}

  /**
   * Creates a client.
   *
   * @param config the validated configuration
   * @return the client
   * @throws IllegalArgumentException if the Redis URL is invalid
   * @throws io.nodb.MissingModuleException if a Redis URL is given without nodb-lock-redis
   */
  public static LockClient create(LockClientConfig config) {
    LockBackend backend;
    if (config.redisUrl() != null) {
      backend =
          RedisSupport.load()
              .lockBackend(
                  config.redisUrl(),
                  config.connectTimeout(),
                  config.readTimeout(),
                  config.maxConnections(),
                  config.clock());
    } else {
      backend = new LocalLockBackend(config.localRunsRoot(), config.clock());
    }
    return new DefaultLockClient(backend, config, HostIdentity.current());
  }
}
