package io.nodb.testing.redis;

/**
 * A {@link TestRedis} the test may use but not control: the shared server, or one named by {@code
 * NODB_TEST_REDIS_URL}. Control methods throw {@link IllegalStateException} with the reason.
 * Thread-safe: immutable.
 */
final class UnmanagedTestRedis extends AbstractTestRedis {

  private final String reason;

  UnmanagedTestRedis(RedisAddress address, String reason) {
    super(address);
    this.reason = reason;
  }

  @Override
  public boolean isManaged() {
    return false;
  }

  @Override
  public long pid() {
    throw refused("read the pid of");
  }

  @Override
  public boolean isRunning() {
    return Pings.answers(address(), DEFAULT_TIMEOUT);
  }

  @Override
  public boolean isPaused() {
    return false;
  }

  @Override
  public void stop() {
    throw refused("stop");
  }

  @Override
  public void start() {
    throw refused("start");
  }

  @Override
  public void restart() {
    throw refused("restart");
  }

  @Override
  public void pause() {
    throw refused("pause");
  }

  @Override
  public void resume() {
    throw refused("resume");
  }

  @Override
  public String toString() {
    return "unmanaged " + address();
  }

  private IllegalStateException refused(String action) {
    return new IllegalStateException(
        "cannot "
            + action
            + " "
            + address()
            + ": "
            + reason
            + "; annotate the test class or "
            + "method with @DedicatedRedis to get a server it may control");
  }
}
