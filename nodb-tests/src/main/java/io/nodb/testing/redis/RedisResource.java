package io.nodb.testing.redis;

/**
 * A server handed out by {@link RedisExtension} together with what shuts it down; kept in a JUnit
 * store, which closes it when its scope ends. Thread-safe if the closer is.
 */
record RedisResource(TestRedis redis, Runnable closer) implements AutoCloseable {

  @Override
  public void close() {
    closer.run();
  }
}
