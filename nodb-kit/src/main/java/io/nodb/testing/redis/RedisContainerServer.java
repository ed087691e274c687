package io.nodb.testing.redis;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code redis:7-alpine} container started by Testcontainers, without persistence, published on a
 * fixed host port so that a stop and start of the same container keeps the port; paused with {@code
 * docker pause}. Used only when no {@code redis-server} is on {@code PATH}. Thread-safe: control
 * methods are synchronized. Testcontainers' reaper removes the container if the JVM dies.
 */
final class RedisContainerServer implements ManagedServer {

  private static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int STOP_TIMEOUT_SECONDS = 10;

  private final RedisContainer container;
  private final int port;
  private boolean running = true;
  private boolean paused;

  private RedisContainerServer(RedisContainer container, int port) {
    this.container = container;
    this.port = port;
  }

  static RedisContainerServer launch() {
    int port = LocalPorts.free();
    RedisContainer container = new RedisContainer();
    container.setPortBindings(List.of(port + ":6379"));
    container.start();
    RedisContainerServer server = new RedisContainerServer(container, port);
    server.awaitReady();
    return server;
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public long pid() {
    throw new IllegalStateException(
        "a Testcontainers server has no local process id; use pause()/resume() to freeze it");
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public synchronized boolean isPaused() {
    return running && paused;
  }

  @Override
  public synchronized void start() {
    if (running) {
      throw new IllegalStateException("container is already running: " + this);
    }
    docker().startContainerCmd(container.getContainerId()).exec();
    running = true;
    paused = false;
    awaitReady();
  }

  @Override
  public synchronized void stop() {
    requireRunning("stop");
    if (paused) {
      docker().unpauseContainerCmd(container.getContainerId()).exec();
      paused = false;
    }
    docker().stopContainerCmd(container.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
    running = false;
  }

  @Override
  public synchronized void pause() {
    requireRunning("pause");
    if (paused) {
      throw new IllegalStateException("container is already paused: " + this);
    }
    docker().pauseContainerCmd(container.getContainerId()).exec();
    paused = true;
  }

  @Override
  public synchronized void resume() {
    requireRunning("resume");
    if (!paused) {
      throw new IllegalStateException("container is not paused: " + this);
    }
    docker().unpauseContainerCmd(container.getContainerId()).exec();
    paused = false;
  }

  @Override
  public synchronized void close() {
    if (paused) {
      // Docker refuses to kill a paused container.
      docker().unpauseContainerCmd(container.getContainerId()).exec();
      paused = false;
    }
    running = false;
    container.stop();
  }

  @Override
  public String toString() {
    return "redis container " + container.getContainerId() + " on port " + port;
  }

  private void requireRunning(String action) {
    if (!running) {
      throw new IllegalStateException("cannot " + action + " a stopped container: " + this);
    }
  }

  private void awaitReady() {
    RedisAddress address = RedisAddress.of(host(), port);
    if (!BoundedPoll.await(READY_TIMEOUT, () -> Pings.answers(address))) {
      throw new IllegalStateException(
          this
              + " did not answer PING within "
              + READY_TIMEOUT
              + "; logs:\n"
              + container.getLogs());
    }
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  /** The container definition: Redis with persistence off. */
  private static final class RedisContainer extends GenericContainer<RedisContainer> {
    RedisContainer() {
      super(IMAGE);
      withCommand("redis-server", "--save", "", "--appendonly", "no");
      waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
    }
  }
}
