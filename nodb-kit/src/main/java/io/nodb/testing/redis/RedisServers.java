package io.nodb.testing.redis;

/**
 * Starts Redis servers outside JUnit, for tools, benchmarks and worker programs: the same launcher
 * that {@code io.nodb.testing.junit.RedisExtension} uses for {@code @DedicatedRedis} tests ({@code
 * redis-server} from {@code PATH} on a free loopback port, no persistence, a private temporary
 * directory; Docker when there is no binary).
 *
 * <p>Stateless and thread-safe.
 */
public final class RedisServers {

  private RedisServers() {}

  /**
   * Launches a server of the caller's own and waits until it answers PING.
   *
   * @return the running server; the caller closes it
   * @throws RedisUnavailableException if there is neither {@code redis-server} on {@code PATH} nor
   *     Docker
   * @throws IllegalStateException if the server does not start in time (the message carries its log
   *     tail)
   */
  public static OwnedRedis launch() {
    return RedisProvisioner.fromEnvironment().owned();
  }
}
