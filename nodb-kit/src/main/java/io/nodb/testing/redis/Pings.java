package io.nodb.testing.redis;

import java.time.Duration;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** Sends PING over a fresh connection; the seam between the kit and Jedis. Stateless. */
final class Pings {

  /** Short, so a readiness poll notices a server soon after it listens. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(250);

  private Pings() {}

  static Jedis connect(RedisAddress address, Duration timeout) {
    return new Jedis(address.hostAndPort(), address.clientConfig(timeout));
  }

  static String ping(RedisAddress address, Duration timeout) {
    try (Jedis jedis = connect(address, timeout)) {
      return jedis.ping();
    }
  }

  /** Tells whether the server answers PONG within {@link #PROBE_TIMEOUT}. */
  static boolean answers(RedisAddress address) {
    return answers(address, PROBE_TIMEOUT);
  }

  /** Tells whether the server answers PONG within the timeout. */
  static boolean answers(RedisAddress address, Duration timeout) {
    try {
      return "PONG".equals(ping(address, timeout));
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * Tells whether the server answers within {@link #PROBE_TIMEOUT} and is the process with this
   * pid, so a server that took the port first is not mistaken for ours.
   */
  static boolean answersAs(RedisAddress address, long pid) {
    try (Jedis jedis = connect(address, PROBE_TIMEOUT)) {
      return jedis.info("server").lines().anyMatch(line -> line.equals("process_id:" + pid));
    } catch (JedisException e) {
      return false;
    }
  }
}
