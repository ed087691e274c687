package io.nodb.testing.redis;

/**
 * One Redis server the kit started and controls. Implementations are thread-safe and keep host and
 * port for their whole life. Control methods throw {@link IllegalStateException} when the server is
 * in the wrong state or does not reach the requested one in time.
 */
interface ManagedServer extends AutoCloseable {

  String host();

  int port();

  /** The local process id; throws {@link IllegalStateException} if there is none. */
  long pid();

  boolean isRunning();

  boolean isPaused();

  void start();

  void stop();

  void pause();

  void resume();

  /**
   * Stops the server if it runs (paused or not) and releases what it holds; idempotent. Throws
   * {@link IllegalStateException} if the server cannot be stopped or its files removed.
   */
  @Override
  void close();
}
