package io.nodb.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} process the kit launched on a loopback port, without persistence, in a
 * temporary directory of its own; controlled by its pid only. Thread-safe: control methods are
 * synchronized. Failures are {@link IllegalStateException}s carrying the server's log tail.
 */
final class RedisServerProcess implements ManagedServer {

  static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int BIND_ATTEMPTS = 5;

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;
  private boolean paused;
  private boolean closed;

  private RedisServerProcess(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts {@code binary} on a free loopback port, trying another port if the chosen one was taken
   * in the meantime.
   */
  static RedisServerProcess launch(Path binary) {
    IllegalStateException lastBindFailure = null;
    for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
      RedisServerProcess server = new RedisServerProcess(binary, tempDir(), LocalPorts.free());
      try {
        server.start();
        return server;
      } catch (IllegalStateException e) {
        server.close();
        if (!e.getMessage().contains("Address already in use")) {
          throw e;
        }
        lastBindFailure = e;
      }
    }
    throw new IllegalStateException(
        "redis-server could not bind a free port in " + BIND_ATTEMPTS + " attempts",
        lastBindFailure);
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public synchronized long pid() {
    return requireAlive("read the pid of").pid();
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized boolean isPaused() {
    return isRunning() && paused;
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("redis-server on port " + port + " is closed");
    }
    if (isRunning()) {
      throw new IllegalStateException("redis-server is already running: " + describe());
    }
    List<String> command =
        List.of(
            binary.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no");
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log().toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    }
    ProcessReaper.register(process);
    paused = false;
    Process started = process;
    RedisAddress address = RedisAddress.of(HOST, port);
    boolean ready =
        BoundedPoll.await(
            READY_TIMEOUT, () -> !started.isAlive() || Pings.answersAs(address, started.pid()));
    if (!ready || !started.isAlive()) {
      String why = started.isAlive() ? "did not answer PING within " + READY_TIMEOUT : "exited";
      terminate();
      throw new IllegalStateException(
          "redis-server on port " + port + " " + why + "; log tail:\n" + ServerFiles.tail(log()));
    }
  }

  @Override
  public synchronized void stop() {
    requireAlive("stop");
    terminate();
  }

  @Override
  public synchronized void pause() {
    Process alive = requireAlive("pause");
    if (paused) {
      throw new IllegalStateException("redis-server is already paused: " + describe());
    }
    Signals.send(alive.pid(), "STOP");
    paused = true;
    awaitProcState(alive.pid(), true);
  }

  @Override
  public synchronized void resume() {
    Process alive = requireAlive("resume");
    if (!paused) {
      throw new IllegalStateException("redis-server is not paused: " + describe());
    }
    Signals.send(alive.pid(), "CONT");
    paused = false;
    awaitProcState(alive.pid(), false);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    terminate();
    ServerFiles.deleteTree(dir);
  }

  @Override
  public synchronized String toString() {
    return describe();
  }

  private String describe() {
    return "redis-server pid "
        + (process == null ? "-" : Long.toString(process.pid()))
        + " on "
        + HOST
        + ":"
        + port
        + (isPaused() ? " (paused)" : isRunning() ? "" : " (stopped)");
  }

  private Process requireAlive(String action) {
    if (!isRunning()) {
      throw new IllegalStateException("cannot " + action + " a stopped server: " + describe());
    }
    return process;
  }

  /** Ends the process (SIGTERM, then SIGKILL) and waits until it has exited. */
  private void terminate() {
    Process current = process;
    if (current == null || !current.isAlive()) {
      paused = false;
      return;
    }
    if (paused) {
      // A stopped process keeps SIGTERM pending; let it run so it can exit.
      Signals.send(current.pid(), "CONT");
      paused = false;
    }
    current.destroy();
    try {
      if (!current.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        current.destroyForcibly();
        if (!current.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("redis-server did not exit after SIGKILL: " + current);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + describe(), e);
    }
    ProcessReaper.unregister(current);
  }

  /** Waits until Linux reports the process stopped (or not); a no-op where /proc is absent. */
  private void awaitProcState(long pid, boolean stopped) {
    boolean reached =
        BoundedPoll.await(
            READY_TIMEOUT,
            () -> Signals.isStopped(pid).map(state -> state == stopped).orElse(true));
    if (!reached) {
      throw new IllegalStateException(
          "redis-server pid " + pid + " did not become " + (stopped ? "stopped" : "running"));
    }
  }

  private Path log() {
    return dir.resolve("redis.log");
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("nodb-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for redis-server", e);
    }
  }
}
