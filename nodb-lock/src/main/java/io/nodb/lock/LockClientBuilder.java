package io.nodb.lock;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.lock.internal.LockClientConfig;
import io.nodb.lock.internal.LockClientFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and builds a {@link LockClient}: the backend (Redis by URL, or files under a runs root
 * on this host), the default lease, timeouts, clocks and metrics.
 *
 * <p>Defaults: lease 30 s renewed every 10 s; safety margin 1% of the lease plus 2 ms; connect and
 * read timeouts 2 s each; up to 64 Redis connections. With neither {@link #redis(String)} nor
 * {@link #local(Path)} called, {@link #build()} uses {@code NODB_REDIS_URL} when set and otherwise
 * the local backend under the current directory. Renewals run on the JVM's shared watchdog unless
 * {@link #scheduler(LockScheduler)} is given.
 *
 * <p>Not thread-safe; build once and share the client.
 */
public final class LockClientBuilder {

  private String redisUrl;
  private Path localRunsRoot;
  private Duration defaultLease = Duration.ofSeconds(30);
  private Duration safetyMargin;
  private Duration connectTimeout = Duration.ofSeconds(2);
  private Duration readTimeout = Duration.ofSeconds(2);
  private int maxConnections = 64;
  private Clock clock = Clock.systemUTC();
  private Ticker ticker = Ticker.system();
  private Object meterRegistry;
  private boolean releaseOnShutdown = true;
  private LockScheduler scheduler;

  private LockClientBuilder() {}

  /**
   * Returns a new builder with the defaults above.
   *
   * @return the builder
   */
  public static LockClientBuilder create() {
    return new LockClientBuilder();
  }

  /**
   * Uses Redis at {@code url} ({@code redis://[user:password@]host:port[/db]} or {@code
   * rediss://...} for TLS).
   *
   * @param url the Redis URL
   * @return this builder
   */
  public LockClientBuilder redis(String url) {
    this.redisUrl = Objects.requireNonNull(url, "url");
    this.localRunsRoot = null;
    return this;
  }

  /**
   * Uses the local backend: lock files in {@code <runsRoot>/<runId>/.nodb-locks/}, shared by every
   * process of this host through OS file locks.
   *
   * @param runsRoot the directory that holds the run directories
   * @return this builder
   */
  public LockClientBuilder local(Path runsRoot) {
    this.localRunsRoot = Objects.requireNonNull(runsRoot, "runsRoot");
    this.redisUrl = null;
    return this;
  }

  /**
   * Uses {@code NODB_REDIS_URL} when it is set and not blank, else the local backend under {@code
   * runsRoot}.
   *
   * @param runsRoot the directory that holds the run directories (for the local backend)
   * @return this builder
   */
  public LockClientBuilder fromEnvironment(Path runsRoot) {
    String url = System.getenv("NODB_REDIS_URL");
    return url == null || url.isBlank() ? local(runsRoot) : redis(url.trim());
  }

  /**
   * Sets the lease used when a call does not give one.
   *
   * @param lease at least 10 ms
   * @return this builder
   */
  public LockClientBuilder defaultLease(Duration lease) {
    this.defaultLease = LockOptions.lease(lease).lease();
    return this;
  }

  /**
   * Sets how much earlier than the backend a holder considers its lease over (clock drift and
   * network delay). It is capped at a quarter of each lease. Default: 1% of the lease plus 2 ms.
   *
   * @param margin zero or more
   * @return this builder
   */
  public LockClientBuilder safetyMargin(Duration margin) {
    if (margin.isNegative()) {
      throw new IllegalArgumentException("safety margin must not be negative, was " + margin);
    }
    this.safetyMargin = margin;
    return this;
  }

  /**
   * Sets the connect timeout for the backend.
   *
   * @param timeout more than zero
   * @return this builder
   */
  public LockClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connect timeout");
    return this;
  }

  /**
   * Sets the read timeout for one backend call.
   *
   * @param timeout more than zero
   * @return this builder
   */
  public LockClientBuilder readTimeout(Duration timeout) {
    this.readTimeout = positive(timeout, "read timeout");
    return this;
  }

  /**
   * Sets the maximum number of Redis connections.
   *
   * @param max at least 2 (one may block waiting for a release signal)
   * @return this builder
   */
  public LockClientBuilder maxConnections(int max) {
    if (max < 2) {
      throw new IllegalArgumentException("maxConnections must be at least 2, was " + max);
    }
    this.maxConnections = max;
    return this;
  }

  /**
   * Sets the wall clock used for acquired-at stamps and, by the local backend, for TTLs.
   *
   * @param clock the clock
   * @return this builder
   */
  public LockClientBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Sets the monotonic clock used to judge lease validity and wait deadlines.
   *
   * @param ticker the ticker
   * @return this builder
   */
  public LockClientBuilder ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Sets the scheduler that runs this client's lease renewals and expiry notices (see {@link
   * LockScheduler} for its contract). Default: the JVM's shared watchdog (two daemon threads for
   * every client). Tests pass a fake one with the same fake time as {@link #ticker(Ticker)} and
   * {@link #clock(Clock)}, so renewals run when the test advances time. The scheduler is shared,
   * not owned: closing the client cancels its handles' tasks but does not shut it down. Set once.
   *
   * @param scheduler the scheduler
   * @return this builder
   * @throws NullPointerException if {@code scheduler} is null
   * @throws IllegalStateException if a scheduler was already set on this builder
   */
  public LockClientBuilder scheduler(LockScheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (this.scheduler != null) {
      throw new IllegalStateException(
          "the scheduler is set once; already " + this.scheduler + ", refused " + scheduler);
    }
    this.scheduler = scheduler;
    return this;
  }

  /**
   * Records meters (acquire wait, hold time, renewals, release outcomes, losses, forced unlocks) in
   * {@code registry}. Micrometer is an optional dependency; without this call none is needed.
   *
   * @param registry the registry
   * @return this builder
   */
  public LockClientBuilder meterRegistry(MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Whether a JVM shutdown hook (SIGTERM, SIGINT, {@code System.exit}) releases the handles this
   * client still holds and stops their renewal; on by default. The hook waits at most 2 s for all
   * releases and logs what it did; locks whose release did not answer expire with their lease. Turn
   * it off when something else releases on shutdown (a framework's lifecycle) or in tests that must
   * leave locks behind.
   *
   * @param release {@code false} to leave held locks to expire with their lease
   * @return this builder
   */
  public LockClientBuilder releaseOnShutdown(boolean release) {
    this.releaseOnShutdown = release;
    return this;
  }

  /**
   * Builds the client. For Redis this connects lazily; call {@link LockClient#ping()} to check.
   *
   * @return the client
   * @throws IllegalArgumentException if the Redis URL cannot be parsed
   * @throws io.nodb.MissingModuleException if Redis is asked for (by URL or {@code NODB_REDIS_URL})
   *     but {@code io.nodb:nodb-lock-redis} is not on the class path
   */
  public LockClient build() {
    if (redisUrl == null && localRunsRoot == null) {
      fromEnvironment(Path.of("").toAbsolutePath());
    }
    return LockClientFactory.create(
        new LockClientConfig(
            redisUrl,
            localRunsRoot,
            defaultLease,
            safetyMargin,
            connectTimeout,
            readTimeout,
            maxConnections,
            clock,
            ticker,
            meterRegistry,
            releaseOnShutdown,
            scheduler));
  }

  private static Duration positive(Duration d, String what) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }
}
