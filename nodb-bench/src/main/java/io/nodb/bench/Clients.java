package io.nodb.bench;

import io.nodb.lock.LockClient;
import java.net.URI;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Creates the three clients under test against one Redis URL, each with its library's defaults
 * (nothing tuned in anyone's favour).
 *
 * <p>Stateless and thread-safe.
 */
final class Clients {

  private Clients() {}

  /** Returns a pooled Jedis {@link RedisClient} with default settings. */
  static RedisClient jedis(String url) {
    URI uri = URI.create(url);
    return RedisClient.builder().hostAndPort(new HostAndPort(uri.getHost(), uri.getPort())).build();
  }

  /** Returns a nodb lock client with default settings. */
  static LockClient nodb(String url) {
    return LockClient.builder().redis(url).build();
  }

  /** Returns a Redisson client for a single server with default settings. */
  static RedissonClient redisson(String url) {
    Config cfg = new Config();
    cfg.useSingleServer().setAddress(url);
    return Redisson.create(cfg);
  }
}
