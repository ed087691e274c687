package io.nodb.lock.internal;

import io.nodb.MissingModuleException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The service interface through which nodb-lock, nodb-store and nodb-recipes reach Redis without
 * depending on it: implemented once, in nodb-lock-redis ({@code
 * io.nodb.lock.internal.redis.RedisSupportProvider}, registered in {@code META-INF/services} and in
 * its {@code module-info} {@code provides}), found by {@link ServiceLoader} in {@link #load()}.
 *
 * <p>Everything it hands out for one URL and pair of timeouts shares one connection pool per
 * process (reference-counted: each backend or access is one user, and the pool closes with the
 * last); the pool holds as many connections as the largest of its users asked for. Implementations
 * are thread-safe.
 */
public interface RedisSupport {

  /** The Maven coordinates of the module that implements this interface. */
  String ARTIFACT = "io.nodb:nodb-lock-redis";

  /**
   * Creates the Redis lock backend; connections are opened lazily.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size this user needs, at least 1
   * @param clock the wall clock for audit timestamps
   * @return the backend (closing it gives its share of the pool back)
   * @throws IllegalArgumentException if the URL cannot be parsed (the message shows it redacted)
   */
  LockBackend lockBackend(
      String url, Duration connectTimeout, Duration readTimeout, int maxConnections, Clock clock);

  /**
   * Returns plain key/value and pub/sub access to Redis at {@code url}; connections are opened
   * lazily.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
   * @param connectTimeout the connect timeout
   * @param readTimeout the read timeout of one call
   * @param maxConnections the pool size this user needs, at least 1
   * @return the access (closing it gives its share of the pool back)
   * @throws IllegalArgumentException if the URL cannot be parsed or a value is out of range
   */
  RedisAccess access(String url, Duration connectTimeout, Duration readTimeout, int maxConnections);

  /**
   * Reads a Redis server's report for {@code nodb doctor} on one connection of its own, closed
   * before returning.
   *
   * @param url the Redis URL
   * @param timeout the connect and read timeout
   * @return the report
   * @throws io.nodb.lock.LockBackendUnavailableException if the server cannot be reached
   * @throws IllegalStateException if the server answers something that cannot be parsed
   */
  io.nodb.lock.RedisServerReport serverReport(String url, Duration timeout);

  /**
   * Finds the implementation: through the thread's context class loader, then through this
   * interface's own loader.
   *
   * @return the implementation
   * @throws MissingModuleException if nodb-lock-redis is not on the class path or module path
   */
  static RedisSupport load() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    Iterator<RedisSupport> found = ServiceLoader.load(RedisSupport.class, context).iterator();
    if (!found.hasNext() && context != RedisSupport.class.getClassLoader()) {
      found =
          ServiceLoader.load(RedisSupport.class, RedisSupport.class.getClassLoader()).iterator();
    }
    if (!found.hasNext()) {
      throw new MissingModuleException("Redis", ARTIFACT);
    }
    return found.next();
  }
}
