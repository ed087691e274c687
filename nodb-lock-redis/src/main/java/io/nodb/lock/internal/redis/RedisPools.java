package io.nodb.lock.internal.redis;

import io.nodb.lock.internal.RedisEndpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The process's Redis connection pools, one per endpoint and pair of timeouts, shared by every lock
 * backend, store cache and recipe value store on it and counted by user: {@link #join} returns a
 * {@link Share}, and the pool is closed when its last share is. A pool holds as many connections as
 * the largest of its users asked for (it grows when a larger user joins, and never shrinks while
 * open).
 *
 * <p>The timeouts are part of the key because they are settings of each connection: a user that
 * asks for other timeouts gets a pool of its own rather than silently losing its setting. Every
 * pool allows blocking pops of up to {@link #MAX_BLOCK} (the lock backend's wake-up wait); users
 * that never block pay nothing for it.
 *
 * <p>JVM-wide on purpose (it is the point: one pool per process). Thread-safe.
 */
final class RedisPools {

  /** The longest blocking pop on a pooled connection: a waiter's capped {@code BLPOP}. */
  static final Duration MAX_BLOCK = Duration.ofSeconds(10);

  private record Key(RedisEndpoint endpoint, Duration connectTimeout, Duration readTimeout) {}

  private static final class Pool {
    final Key key;
    final RedisConnection connection;
    int users; // guarded by POOLS

    Pool(Key key, RedisConnection connection) {
      this.key = key;
      this.connection = connection;
    }
  }

  private static final Map<Key, Pool> POOLS = new HashMap<>();

  private RedisPools() {}

  /**
   * Joins the pool of {@code endpoint} with these timeouts, creating it if there is none.
   *
   * @param endpoint the server
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size this user needs, at least 1
   * @return this user's share; close it once
   */
  static Share join(
      RedisEndpoint endpoint, Duration connectTimeout, Duration readTimeout, int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, was " + maxConnections);
    }
    Key key = new Key(endpoint, connectTimeout, readTimeout);
    synchronized (POOLS) {
      Pool pool = POOLS.get(key);
      if (pool == null) {
        pool =
            new Pool(
                key,
                new RedisConnection(
                    endpoint, connectTimeout, readTimeout, maxConnections, MAX_BLOCK));
        POOLS.put(key, pool);
      } else {
        pool.connection.growTo(maxConnections);
      }
      pool.users++;
      return new Share(pool);
    }
  }

  /**
   * Returns how many pools are open in this process.
   *
   * @return the number of pools
   */
  static int openPools() {
    synchronized (POOLS) {
      return POOLS.size();
    }
  }

  /** One user's part of a pool. Closing it is idempotent; the last share closes the pool. */
  static final class Share implements AutoCloseable {
    private final Pool pool;
    private boolean closed; // guarded by POOLS

    private Share(Pool pool) {
      this.pool = pool;
    }

    /** Returns the pooled connection; do not close it (close the share). */
    RedisConnection connection() {
      return pool.connection;
    }

    @Override
    public void close() {
      boolean last;
      synchronized (POOLS) {
        if (closed) {
          return;
        }
        closed = true;
        last = --pool.users == 0;
        if (last) {
          POOLS.remove(pool.key, pool);
        }
      }
      if (last) {
        pool.connection.close();
      }
    }
  }
}
