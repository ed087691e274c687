package io.nodb.lock;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.lock.internal.LockClientConfig;
import io.nodb.lock.internal.LockClientFactory;
import io.nodb.lock.internal.RedisEndpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Configures and builds a {@link LockClient}: the backend (Redis by URL, or files under a runs root
 * on this host), the default lease, timeouts, clocks and metrics. Start from {@link
 * LockClient#builder()}.
 *
 * <p>Every option is set at most once (a second call throws {@link IllegalStateException} naming
 * the option) and checked when it is set (a value out of bounds throws {@link
 * IllegalArgumentException} naming the option and the bound), so {@link #build()} never refuses a
 * value it was given earlier. {@link #redis(String)}, {@link #local(Path)} and {@link
 * #fromEnvironment(Path)} choose the backend and exclude each other.
 *
 * <p>Defaults: lease 30 s renewed every 10 s; safety margin 1% of the lease plus 2 ms; connect and
 * read timeouts 2 s each; up to 64 Redis connections. With no backend chosen, {@link #build()} uses
 * {@code NODB_REDIS_URL} when set and otherwise the local backend under the current directory.
 * Renewals run on the JVM's shared watchdog unless {@link #scheduler(LockScheduler)} is given.
 *
 * <p>Not thread-safe; build once and share the client.
 */
public final class LockClientBuilder {

  /** The longest connect or read timeout: 1 h (Jedis counts them in {@code int} milliseconds). */
  public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  /** The most Redis connections one client may open. */
  public static final int MAX_CONNECTIONS = 10_000;

  private final Set<String> set = new HashSet<>();
  private @Nullable String redisUrl;
  private @Nullable Path localRunsRoot;
  private Duration defaultLease = Duration.ofSeconds(30);
  private @Nullable Duration safetyMargin;
  private Duration connectTimeout = Duration.ofSeconds(2);
  private Duration readTimeout = Duration.ofSeconds(2);
  private int maxConnections = 64;
  private Clock clock = Clock.systemUTC();
  private Ticker ticker = Ticker.system();
  private @Nullable Object meterRegistry;
  private boolean releaseOnShutdown = true;
  private @Nullable LockScheduler scheduler;

  /** Use {@link LockClient#builder()}. */
  LockClientBuilder() {}

  /**
   * Uses Redis at {@code url} ({@code redis://[user:password@]host:port[/db]} or {@code
   * rediss://...} for TLS).
   *
   * @param url the Redis URL
   * @return this builder
   * @throws NullPointerException if {@code url} is null
   * @throws IllegalArgumentException if the URL cannot be parsed (the message shows it without its
   *     password)
   * @throws IllegalStateException if a backend was already chosen
   */
  public LockClientBuilder redis(String url) {
    Objects.requireNonNull(url, "url");
    RedisEndpoint.parse(url); // validates; the message never shows the password
    backendOnce("redis");
    this.redisUrl = url;
    return this;
  }

  /**
   * Uses the local backend: lock files in {@code <runsRoot>/<runId>/.nodb-locks/}, shared by every
   * process of this host through OS file locks.
   *
   * @param runsRoot the directory that holds the run directories
   * @return this builder
   * @throws NullPointerException if {@code runsRoot} is null
   * @throws IllegalStateException if a backend was already chosen
   */
  public LockClientBuilder local(Path runsRoot) {
    Objects.requireNonNull(runsRoot, "runsRoot");
    backendOnce("local");
    this.localRunsRoot = runsRoot;
    return this;
  }

  /**
   * Uses {@code NODB_REDIS_URL} when it is set and not blank, else the local backend under {@code
   * runsRoot}.
   *
   * @param runsRoot the directory that holds the run directories (for the local backend)
   * @return this builder
   * @throws IllegalArgumentException if {@code NODB_REDIS_URL} cannot be parsed
   * @throws IllegalStateException if a backend was already chosen
   */
  public LockClientBuilder fromEnvironment(Path runsRoot) {
    Objects.requireNonNull(runsRoot, "runsRoot");
    String url = System.getenv("NODB_REDIS_URL");
    return url == null || url.isBlank() ? local(runsRoot) : redis(url.trim());
  }

  /**
   * Sets the lease used when a call does not give one.
   *
   * @param lease {@link LockOptions#MIN_LEASE} (10 ms) to {@link LockOptions#MAX_LEASE} (24 h)
   * @return this builder
   * @throws IllegalArgumentException if the lease is out of those bounds
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder defaultLease(Duration lease) {
    LockOptions.requireLease(lease, "defaultLease");
    once("defaultLease");
    this.defaultLease = lease;
    return this;
  }

  /**
   * Sets how much earlier than the backend a holder considers its lease over (clock drift and
   * network delay). It is capped at a quarter of each lease. Default: 1% of the lease plus 2 ms.
   *
   * @param margin zero to 24 h
   * @return this builder
   * @throws IllegalArgumentException if the margin is negative or above 24 h
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder safetyMargin(Duration margin) {
    Objects.requireNonNull(margin, "safetyMargin");
    if (margin.isNegative() || margin.compareTo(LockOptions.MAX_LEASE) > 0) {
      throw new IllegalArgumentException(
          "safetyMargin must be between zero and 24 h (PT24H), was " + margin);
    }
    once("safetyMargin");
    this.safetyMargin = margin;
    return this;
  }

  /**
   * Sets the connect timeout for the backend.
   *
   * @param timeout 1 ms to {@link #MAX_TIMEOUT} (1 h)
   * @return this builder
   * @throws IllegalArgumentException if the timeout is out of those bounds
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder connectTimeout(Duration timeout) {
    timeout(timeout, "connectTimeout");
    once("connectTimeout");
    this.connectTimeout = timeout;
    return this;
  }

  /**
   * Sets the read timeout for one backend call.
   *
   * @param timeout 1 ms to {@link #MAX_TIMEOUT} (1 h)
   * @return this builder
   * @throws IllegalArgumentException if the timeout is out of those bounds
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder readTimeout(Duration timeout) {
    timeout(timeout, "readTimeout");
    once("readTimeout");
    this.readTimeout = timeout;
    return this;
  }

  /**
   * Sets the maximum number of Redis connections.
   *
   * @param max 2 (one may block waiting for a release signal) to {@link #MAX_CONNECTIONS}
   * @return this builder
   * @throws IllegalArgumentException if {@code max} is out of those bounds
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder maxConnections(int max) {
    if (max < 2 || max > MAX_CONNECTIONS) {
      throw new IllegalArgumentException(
          "maxConnections must be between 2 and " + MAX_CONNECTIONS + ", was " + max);
    }
    once("maxConnections");
    this.maxConnections = max;
    return this;
  }

  /**
   * Sets the wall clock used for acquired-at stamps and, by the local backend, for TTLs.
   *
   * @param clock the clock
   * @return this builder
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder clock(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    once("clock");
    this.clock = clock;
    return this;
  }

  /**
   * Sets the monotonic clock used to judge lease validity and wait deadlines.
   *
   * @param ticker the ticker
   * @return this builder
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder ticker(Ticker ticker) {
    Objects.requireNonNull(ticker, "ticker");
    once("ticker");
    this.ticker = ticker;
    return this;
  }

  /**
   * Sets the scheduler that runs this client's lease renewals and expiry notices (see {@link
   * LockScheduler} for its contract). Default: the JVM's shared watchdog (two daemon threads for
   * every client). Tests pass a fake one with the same fake time as {@link #ticker(Ticker)} and
   * {@link #clock(Clock)}, so renewals run when the test advances time. The scheduler is shared,
   * not owned: closing the client cancels its handles' tasks but does not shut it down.
   *
   * @param scheduler the scheduler
   * @return this builder
   * @throws NullPointerException if {@code scheduler} is null
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder scheduler(LockScheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    once("scheduler");
    this.scheduler = scheduler;
    return this;
  }

  /**
   * Records meters (acquire wait, hold time, renewals, release outcomes, losses, forced unlocks) in
   * {@code registry}. Micrometer is an optional dependency; without this call none is needed.
   *
   * @param registry the registry
   * @return this builder
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder meterRegistry(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    once("meterRegistry");
    this.meterRegistry = registry;
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
   * @throws IllegalStateException if it was already set
   */
  public LockClientBuilder releaseOnShutdown(boolean release) {
    once("releaseOnShutdown");
    this.releaseOnShutdown = release;
    return this;
  }

  /**
   * Builds the client. For Redis this connects lazily; call {@link LockClient#ping()} to check. The
   * builder may build again (each client has its own connections).
   *
   * @return the client
   * @throws IllegalArgumentException if no backend was chosen and {@code NODB_REDIS_URL} cannot be
   *     parsed
   * @throws io.nodb.MissingModuleException if Redis is asked for (by URL or {@code NODB_REDIS_URL})
   *     but {@code io.nodb:nodb-lock-redis} is not on the class path
   */
  public LockClient build() {
    String url = redisUrl;
    Path root = localRunsRoot;
    if (url == null && root == null) {
      String env = System.getenv("NODB_REDIS_URL");
      if (env == null || env.isBlank()) {
        root = Path.of("").toAbsolutePath();
      } else {
        url = env.trim();
        RedisEndpoint.parse(url);
      }
    }
    return LockClientFactory.create(
        new LockClientConfig(
            url,
            root,
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

  /** Returns {@code LockClientBuilder[<the options set>]}; never a Redis password. */
  @Override
  public String toString() {
    return "LockClientBuilder" + new java.util.TreeSet<>(set);
  }

  private void once(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " is set once; it was already set on this builder");
    }
  }

  private void backendOnce(String backend) {
    if (redisUrl != null || localRunsRoot != null) {
      throw new IllegalStateException(
          "the backend is chosen once: "
              + (redisUrl != null ? "redis" : "local")
              + " already, refused "
              + backend
              + " (redis, local and fromEnvironment exclude each other)");
    }
    set.add("backend");
  }

  private static void timeout(Duration timeout, String what) {
    Objects.requireNonNull(timeout, what);
    if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          what + " must be between 1 ms and 1 h (PT1H), was " + timeout);
    }
  }
}
