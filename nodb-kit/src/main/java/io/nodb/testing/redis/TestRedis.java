package io.nodb.testing.redis;

import java.time.Duration;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A real Redis server handed to a test by {@code io.nodb.testing.junit.RedisExtension} (or started
 * with {@link RedisServers#launch()}).
 *
 * <p>A <em>managed</em> server ({@link #isManaged()}) is one the kit started for a single test
 * class or method ({@code @DedicatedRedis}); the test may stop, pause, resume and restart it. The
 * shared server and a server named by {@code NODB_TEST_REDIS_URL} are not managed: their control
 * methods throw {@link IllegalStateException} saying why. A managed server keeps its host and port
 * for its whole life, including restarts, and never persists data, so a restart starts empty.
 *
 * <p>Thread-safety: implementations are thread-safe; control methods are serialized per server.
 */
public interface TestRedis {

  /** The default timeout of {@link #ping()}. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /**
   * Returns the host clients connect to, e.g. {@code 127.0.0.1}.
   *
   * @return the host name or address
   */
  String host();

  /**
   * Returns the TCP port clients connect to; constant for the life of this server.
   *
   * @return the port
   */
  int port();

  /**
   * Returns the URL clients connect with, e.g. {@code redis://127.0.0.1:6390}.
   *
   * @return the URL, including any credentials given in {@code NODB_TEST_REDIS_URL}
   */
  String url();

  /**
   * Tells whether this test may control the server (stop, pause, resume, restart).
   *
   * @return true for a {@code @DedicatedRedis} server
   */
  boolean isManaged();

  /**
   * Returns the operating-system process id of the server.
   *
   * @return the pid of the {@code redis-server} process the kit started
   * @throws IllegalStateException if the server is not managed or has no local process (container)
   */
  long pid();

  /**
   * Tells whether the server process is up (it may be paused). For a server that is not managed,
   * tells whether it answers PING within {@link #DEFAULT_TIMEOUT}.
   *
   * @return true if the server is up
   */
  boolean isRunning();

  /**
   * Tells whether the server is paused by {@link #pause()}.
   *
   * @return true between {@link #pause()} and {@link #resume()} (or a stop)
   */
  boolean isPaused();

  /**
   * Terminates the server and waits until it has exited; clients then get "connection refused".
   *
   * @throws IllegalStateException if the server is not managed or is already stopped
   */
  void stop();

  /**
   * Starts a stopped server again on the same port and waits until it answers PING. It starts
   * empty: nothing is persisted.
   *
   * @throws IllegalStateException if the server is not managed, is running, or does not become
   *     ready in time (the message carries the server's log tail)
   */
  void start();

  /**
   * Stops the server if it runs (resuming it first if paused), then {@link #start() starts} it.
   *
   * @throws IllegalStateException if the server is not managed or does not become ready in time
   */
  void restart();

  /**
   * Freezes the server process (SIGSTOP): connections are accepted by the kernel but no command is
   * answered until {@link #resume()}.
   *
   * @throws IllegalStateException if the server is not managed, not running, or already paused
   */
  void pause();

  /**
   * Lets a paused server run again (SIGCONT).
   *
   * @throws IllegalStateException if the server is not managed or not paused
   */
  void resume();

  /**
   * Deletes every key of every database. On the shared server this also deletes the keys of other
   * tests; isolate by {@link RunIds run id} there instead.
   *
   * @throws JedisConnectionException if the server cannot be reached
   */
  void flushAll();

  /**
   * Sends PING with {@link #DEFAULT_TIMEOUT} for connecting and reading.
   *
   * @return the reply, {@code PONG}
   * @throws JedisConnectionException if the server refuses, or does not answer in time (then the
   *     cause chain holds a {@link java.net.SocketTimeoutException})
   */
  String ping();

  /**
   * Sends PING with the given timeout for connecting and for reading.
   *
   * @param timeout the connect and socket timeout, positive
   * @return the reply, {@code PONG}
   * @throws JedisConnectionException if the server refuses or does not answer in time
   * @throws IllegalArgumentException if the timeout is not positive
   */
  String ping(Duration timeout);

  /**
   * Opens a new single connection to this server; the caller closes it.
   *
   * @param timeout the connect and socket timeout, positive
   * @return an open connection (authenticated and on the database given by the URL, if any)
   * @throws JedisConnectionException if the server cannot be reached
   * @throws IllegalArgumentException if the timeout is not positive
   */
  Jedis connect(Duration timeout);
}
