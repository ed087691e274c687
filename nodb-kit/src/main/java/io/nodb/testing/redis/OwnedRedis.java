package io.nodb.testing.redis;

/**
 * A {@link TestRedis#isManaged() managed} Redis server that its caller started with {@link
 * RedisServers#launch()} and must close: {@link #close()} stops the process (by its pid) and
 * deletes its temporary directory.
 *
 * <p>Thread-safety: as {@link TestRedis}; {@link #close()} is idempotent.
 */
public interface OwnedRedis extends TestRedis, AutoCloseable {

  /**
   * Stops the server if it runs (resuming it first if paused) and removes its files; idempotent.
   *
   * @throws IllegalStateException if the server cannot be stopped or its files removed
   */
  @Override
  void close();
}
