package io.nodb.testing.redis;

import java.time.Duration;
import redis.clients.jedis.Jedis;

/** The client side of a {@link TestRedis}: address and probes. Thread-safe: immutable. */
abstract class AbstractTestRedis implements TestRedis {

  private final RedisAddress address;

  AbstractTestRedis(RedisAddress address) {
    this.address = address;
  }

  final RedisAddress address() {
    return address;
  }

  @Override
  public final String host() {
    return address.host();
  }

  @Override
  public final int port() {
    return address.port();
  }

  @Override
  public final String url() {
    return address.url();
  }

  @Override
  public final void flushAll() {
    try (Jedis jedis = connect(DEFAULT_TIMEOUT)) {
      jedis.flushAll();
    }
  }

  @Override
  public final String ping() {
    return ping(DEFAULT_TIMEOUT);
  }

  @Override
  public final String ping(Duration timeout) {
    return Pings.ping(address, timeout);
  }

  @Override
  public final Jedis connect(Duration timeout) {
    return Pings.connect(address, timeout);
  }

  @Override
  public void restart() {
    if (isRunning()) {
      stop();
    }
    start();
  }
}
