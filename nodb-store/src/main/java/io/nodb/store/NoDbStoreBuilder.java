package io.nodb.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.lock.LockClient;
import io.nodb.lock.internal.RedisEndpoint;
import io.nodb.store.internal.RedisStoreMirror;
import io.nodb.store.internal.StoreMirror;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link NoDbStore}: where locks live, the lease and lock wait of mutations, the
 * instance cache size, the Redis cache of files, clock, Jackson mapper and metrics. Obtained from
 * {@link NoDbStore#builder()}.
 *
 * <p>Defaults: locks (and the file cache) from {@code NODB_REDIS_URL} when set, else lock files in
 * each run directory; lease 30 s (renewed while held); lock wait 60 s; 1024 strongly cached
 * instances per controller class; no file cache.
 *
 * <p>Every option is set at most once: a second call throws {@link IllegalStateException} naming
 * the option. Values are checked by the setter ({@link IllegalArgumentException} naming the option
 * and its bound, {@link NullPointerException} for null). {@link #lockClient} and {@link
 * #releaseOnShutdown} refuse each other (the second only applies to clients the store builds).
 * Nothing is connected or allocated before {@link #build()}: a builder that is never built holds no
 * client. Not thread-safe; build once.
 */
public final class NoDbStoreBuilder {

  /** The default limit of a controller file's size: 64 MiB (real files reach about 1 MiB). */
  public static final long DEFAULT_MAX_FILE_SIZE = 64L << 20;

  private static final Duration DEFAULT_CACHE_TIMEOUT = Duration.ofSeconds(2);
  private static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 16;

  // read by StoreContext's constructor
  Duration lease = Duration.ofSeconds(30);
  Duration lockWait = Duration.ofSeconds(60);
  Clock clock = Clock.systemUTC();
  @Nullable ObjectMapper mapper; // null: a plain ObjectMapper
  @Nullable Object meterRegistry;
  long maxFileSize = DEFAULT_MAX_FILE_SIZE;

  private final Set<String> set = new HashSet<>();
  private @Nullable LockClient lockClient;
  private long cacheSize = 1024;
  private @Nullable String redisCacheUrl;
  private Duration redisCacheTimeout = DEFAULT_CACHE_TIMEOUT;
  private boolean releaseOnShutdown = true;

  NoDbStoreBuilder() {}

  private static final class Shared {
    static final NoDbStore INSTANCE = new NoDbStoreBuilder().build();
  }

  /**
   * Returns the process-wide store, built with the defaults on first use: Redis at {@code
   * NODB_REDIS_URL} when set, else lock files in each run directory. The controllers' static {@code
   * getInstance(Path)} use it.
   *
   * @return the shared store
   */
  public static NoDbStore shared() {
    return Shared.INSTANCE;
  }

  /**
   * Uses this lock client for every run (the caller closes it).
   *
   * @param client the client
   * @return this builder
   * @throws IllegalStateException if set before, or {@link #releaseOnShutdown} was set
   */
  public NoDbStoreBuilder lockClient(LockClient client) {
    Objects.requireNonNull(client, "lockClient");
    refuse("lockClient", "releaseOnShutdown");
    once("lockClient");
    this.lockClient = client;
    return this;
  }

  /**
   * Sets the lease of the lock taken by each mutation (renewed while held).
   *
   * @param lease 10 ms to 24 h ({@link io.nodb.lock.LockOptions#MAX_LEASE})
   * @return this builder
   * @throws IllegalArgumentException if outside {@link io.nodb.lock.LockOptions#MIN_LEASE} ..
   *     {@link io.nodb.lock.LockOptions#MAX_LEASE}
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder lease(Duration lease) {
    io.nodb.lock.LockOptions.requireLease(lease, "lease");
    once("lease");
    this.lease = lease;
    return this;
  }

  /**
   * Sets how long a mutation waits for the lock before {@code LockTimeoutException}.
   *
   * @param wait zero or more (a very long wait means "as long as it takes")
   * @return this builder
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder lockWait(Duration wait) {
    Objects.requireNonNull(wait, "lockWait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("lockWait must be zero or more, was " + wait);
    }
    once("lockWait");
    this.lockWait = wait;
    return this;
  }

  /**
   * Sets how many instances per controller class are kept strongly.
   *
   * @param size at least 1
   * @return this builder
   * @throws IllegalArgumentException if less than 1
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder cacheSize(long size) {
    if (size < 1) {
      throw new IllegalArgumentException("cacheSize must be at least 1, was " + size);
    }
    once("cacheSize");
    this.cacheSize = size;
    return this;
  }

  /**
   * Caches controller files in Redis at {@code url}, with 2 s connect and read timeouts; hydration
   * uses an entry only when it provably matches the file, and a Redis outage only costs reads from
   * disk. The connection pool is made by {@link #build()} and closed with the store.
   *
   * @param url the Redis URL ({@code redis://...} or {@code rediss://...})
   * @return this builder
   * @throws IllegalArgumentException if the URL is not a Redis URL
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder redisCache(String url) {
    return redisCache(url, DEFAULT_CACHE_TIMEOUT);
  }

  /**
   * Like {@link #redisCache(String)}, with the connect and read timeout of each cache call.
   *
   * @param url the Redis URL ({@code redis://...} or {@code rediss://...})
   * @param timeout from 1 ms to 1 minute
   * @return this builder
   * @throws IllegalArgumentException if the URL is not a Redis URL or the timeout is out of bounds
   * @throws IllegalStateException if a cache was set before
   */
  public NoDbStoreBuilder redisCache(String url, Duration timeout) {
    Objects.requireNonNull(url, "redisCache");
    Objects.requireNonNull(timeout, "redisCache timeout");
    String u = url.trim();
    requireRedisUrl(u); // the client is made by build()
    if (timeout.compareTo(Duration.ofMillis(1)) < 0
        || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "redisCache timeout must be from 1 ms to 1 minute, was " + timeout);
    }
    once("redisCache");
    this.redisCacheUrl = u;
    this.redisCacheTimeout = timeout;
    return this;
  }

  /**
   * Sets the clock for {@code writtenAt} stamps.
   *
   * @param clock the clock
   * @return this builder
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder clock(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    once("clock");
    this.clock = clock;
    return this;
  }

  /**
   * Sets the Jackson mapper for state classes (unknown properties are always ignored on read and
   * kept on write).
   *
   * @param mapper the mapper
   * @return this builder
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder objectMapper(ObjectMapper mapper) {
    Objects.requireNonNull(mapper, "objectMapper");
    once("objectMapper");
    this.mapper = mapper;
    return this;
  }

  /**
   * Records {@code nodb.store.*} meters in {@code registry}.
   *
   * @param registry the registry
   * @return this builder
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder meterRegistry(MeterRegistry registry) {
    Objects.requireNonNull(registry, "meterRegistry");
    once("meterRegistry");
    this.meterRegistry = registry;
    return this;
  }

  /**
   * Sets the largest controller file the store reads. A larger file is refused with {@link
   * NoDbCorruptFileException} naming its size, before anything is read, so a huge or sparse file
   * cannot exhaust the heap. Default {@link #DEFAULT_MAX_FILE_SIZE}.
   *
   * @param bytes from 1 to {@code Integer.MAX_VALUE - 16}
   * @return this builder
   * @throws IllegalArgumentException if out of bounds
   * @throws IllegalStateException if set before
   */
  public NoDbStoreBuilder maxFileSize(long bytes) {
    if (bytes < 1 || bytes > MAX_FILE_SIZE) {
      throw new IllegalArgumentException(
          "maxFileSize must be from 1 to " + MAX_FILE_SIZE + " bytes, was " + bytes);
    }
    once("maxFileSize");
    this.maxFileSize = bytes;
    return this;
  }

  /**
   * Whether the lock clients this store builds itself release their held locks in a JVM shutdown
   * hook; on by default (see {@code LockClientBuilder.releaseOnShutdown}). Not with {@link
   * #lockClient}: a given client keeps its own setting.
   *
   * @param release {@code false} to leave held locks to expire with their lease
   * @return this builder
   * @throws IllegalStateException if set before, or {@link #lockClient} was set
   */
  public NoDbStoreBuilder releaseOnShutdown(boolean release) {
    refuse("releaseOnShutdown", "lockClient");
    once("releaseOnShutdown");
    this.releaseOnShutdown = release;
    return this;
  }

  /**
   * Builds the store, with the lock clients and the cache connection it owns (closed by {@link
   * NoDbStore#close()}).
   *
   * @return the store
   */
  public NoDbStore build() {
    RunLocks locks;
    String envUrl = System.getenv("NODB_REDIS_URL");
    String url = envUrl == null || envUrl.isBlank() ? null : envUrl.trim();
    if (lockClient != null) {
      locks = RunLocks.shared(lockClient, false);
    } else if (url == null) {
      locks =
          RunLocks.perRunsRoot(
              root ->
                  LockClient.builder().releaseOnShutdown(releaseOnShutdown).local(root).build());
    } else {
      locks =
          RunLocks.shared(
              LockClient.builder().releaseOnShutdown(releaseOnShutdown).redis(url).build(), true);
    }
    String cacheUrl = redisCacheUrl != null ? redisCacheUrl : lockClient == null ? url : null;
    try {
      StoreMirror mirror =
          cacheUrl == null
              ? StoreMirror.NONE
              : new RedisStoreMirror(cacheUrl, redisCacheTimeout, redisCacheTimeout);
      return new NoDbStore(new StoreContext(this, locks, mirror), cacheSize);
    } catch (Throwable t) {
      // close the clients built here (a given client is not ours): no store owns them
      try {
        locks.close();
      } catch (Throwable close) {
        t.addSuppressed(close);
      }
      throw t;
    }
  }

  /**
   * Checks a Redis URL with the lock client's own parser ({@code RedisEndpoint}, whose messages
   * show the URL redacted), so the cache accepts exactly what the client made at {@link #build()}
   * reads.
   */
  private static void requireRedisUrl(String url) {
    try {
      RedisEndpoint.parse(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redisCache must be a Redis URL: " + e.getMessage());
    }
  }

  private void once(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " is already set");
    }
  }

  private void refuse(String option, String other) {
    if (set.contains(other)) {
      throw new IllegalStateException(
          option + " and " + other + " exclude each other (" + other + " is set)");
    }
  }
}
