package io.nodb.testing.redis;

/**
 * A {@link TestRedis} the test controls, backed by one {@link ManagedServer}; closing it closes the
 * server. Thread-safe.
 */
final class ManagedTestRedis extends AbstractTestRedis implements OwnedRedis {

  private final ManagedServer server;

  ManagedTestRedis(ManagedServer server) {
    super(RedisAddress.of(server.host(), server.port()));
    this.server = server;
  }

  @Override
  public boolean isManaged() {
    return true;
  }

  @Override
  public long pid() {
    return server.pid();
  }

  @Override
  public boolean isRunning() {
    return server.isRunning();
  }

  @Override
  public boolean isPaused() {
    return server.isPaused();
  }

  @Override
  public void stop() {
    server.stop();
  }

  @Override
  public void start() {
    server.start();
  }

  @Override
  public synchronized void restart() {
    super.restart();
  }

  @Override
  public void pause() {
    server.pause();
  }

  @Override
  public void resume() {
    server.resume();
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "managed " + server;
  }
}
