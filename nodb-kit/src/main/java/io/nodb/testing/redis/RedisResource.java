package io.nodb.testing.redis;

/**
 * A server handed out by {@link RedisProvisioner} together with what shuts it down; the JUnit
 * extension keeps it in a JUnit store, which closes it when its scope ends. Thread-safe if the
 * closer is.
 *
 * @param redis the server
 * @param closer stops what the kit started for it (nothing for a server given by URL)
 */
public record RedisResource(TestRedis redis, Runnable closer) implements AutoCloseable {

  /** Runs the closer. */
  @Override
  public void close() {
    closer.run();
  }
}
