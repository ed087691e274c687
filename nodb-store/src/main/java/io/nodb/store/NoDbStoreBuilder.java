package io.nodb.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.store.internal.RedisStoreMirror;
import io.nodb.store.internal.StoreMirror;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link NoDbStore}: where locks live, the lease and lock wait of mutations, the
 * instance cache size, the mirror, clock, Jackson mapper and metrics.
 *
 * <p>Defaults: locks (and the file cache) from {@code NODB_REDIS_URL} when set, else lock files in
 * each run directory; lease 30 s (renewed while held); lock wait 60 s; 1024 strongly cached
 * instances per controller class; no mirror. Not thread-safe; build once.
 */
public final class NoDbStoreBuilder {

  private LockClient lockClient;
  private boolean ownsLockClient;
  private Duration lease = Duration.ofSeconds(30);
  private Duration lockWait = Duration.ofSeconds(60);
  private long cacheSize = 1024;
  private StoreMirror mirror = StoreMirror.NONE;
  private Clock clock = Clock.systemUTC();
  private ObjectMapper mapper = new ObjectMapper();
  private Object meterRegistry;
  private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
  private boolean releaseOnShutdown = true;

  /** The default limit of a controller file's size: 64 MiB (real files reach about 1 MiB). */
  public static final long DEFAULT_MAX_FILE_SIZE = 64L << 20;

  private NoDbStoreBuilder() {}

  private static final class Shared {
    static final NoDbStore INSTANCE = new NoDbStoreBuilder().build();
  }

  /**
   * Returns a new builder with the defaults above.
   *
   * @return the builder
   */
  public static NoDbStoreBuilder create() {
    return new NoDbStoreBuilder();
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
   * Uses this lock client (the caller closes it).
   *
   * @param client the client
   * @return this builder
   */
  public NoDbStoreBuilder lockClient(LockClient client) {
    this.lockClient = Objects.requireNonNull(client);
    this.ownsLockClient = false;
    return this;
  }

  /**
   * Sets the lease of the lock taken by each mutation.
   *
   * @param lease at least 10 ms
   * @return this builder
   */
  public NoDbStoreBuilder lease(Duration lease) {
    this.lease = Objects.requireNonNull(lease);
    return this;
  }

  /**
   * Sets how long a mutation waits for the lock before {@code LockTimeoutException}.
   *
   * @param wait zero or more
   * @return this builder
   */
  public NoDbStoreBuilder lockWait(Duration wait) {
    this.lockWait = Objects.requireNonNull(wait);
    return this;
  }

  /**
   * Sets how many instances per controller class are kept strongly.
   *
   * @param size at least 1
   * @return this builder
   */
  public NoDbStoreBuilder cacheSize(long size) {
    if (size < 1) {
      throw new IllegalArgumentException("cache size must be at least 1, was " + size);
    }
    this.cacheSize = size;
    return this;
  }

  /**
   * Sets the mirror used to hydrate without reading the disk.
   *
   * @param mirror the mirror
   * @return this builder
   */
  public NoDbStoreBuilder mirror(StoreMirror mirror) {
    this.mirror = Objects.requireNonNull(mirror);
    return this;
  }

  /**
   * Caches controller files in Redis at {@code url} (see {@link
   * io.nodb.store.internal.RedisStoreMirror}); hydration uses an entry only when it provably
   * matches the file.
   *
   * @param url the Redis URL
   * @return this builder
   */
  public NoDbStoreBuilder redisCache(String url) {
    this.mirror = new RedisStoreMirror(url, Duration.ofSeconds(2), Duration.ofSeconds(2));
    return this;
  }

  /**
   * Sets the clock for {@code writtenAt} stamps.
   *
   * @param clock the clock
   * @return this builder
   */
  public NoDbStoreBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /**
   * Sets the Jackson mapper for state classes (unknown properties are always ignored on read and
   * kept on write).
   *
   * @param mapper the mapper
   * @return this builder
   */
  public NoDbStoreBuilder objectMapper(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper);
    return this;
  }

  /**
   * Records {@code nodb.store.*} meters in {@code registry}.
   *
   * @param registry the registry
   * @return this builder
   */
  public NoDbStoreBuilder meterRegistry(MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry);
    return this;
  }

  /**
   * Sets the largest controller file the store reads. A larger file is refused with {@link
   * NoDbCorruptFileException} naming its size, before anything is read, so a huge or sparse file
   * cannot exhaust the heap. Default {@link #DEFAULT_MAX_FILE_SIZE}.
   *
   * @param bytes at least 1
   * @return this builder
   */
  public NoDbStoreBuilder maxFileSize(long bytes) {
    if (bytes < 1 || bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "max file size must be from 1 to " + (Integer.MAX_VALUE - 16) + " bytes, was " + bytes);
    }
    this.maxFileSize = bytes;
    return this;
  }

  /**
   * Whether the lock clients this store builds itself (none was given with {@link
   * #lockClient(LockClient)}) release their held locks in a JVM shutdown hook; on by default (see
   * {@code LockClientBuilder.releaseOnShutdown}). A given client keeps its own setting.
   *
   * @param release {@code false} to leave held locks to expire with their lease
   * @return this builder
   */
  public NoDbStoreBuilder releaseOnShutdown(boolean release) {
    this.releaseOnShutdown = release;
    return this;
  }

  /** Builds the store. */
  public NoDbStore build() {
    RunLocks locks;
    if (lockClient != null) {
      locks = RunLocks.shared(lockClient, ownsLockClient);
    } else {
      String url = System.getenv("NODB_REDIS_URL");
      locks =
          url == null || url.isBlank()
              ? RunLocks.perRunsRoot(
                  root ->
                      LockClientBuilder.create()
                          .releaseOnShutdown(releaseOnShutdown)
                          .local(root)
                          .build())
              : RunLocks.shared(
                  LockClientBuilder.create()
                      .releaseOnShutdown(releaseOnShutdown)
                      .redis(url.trim())
                      .build(),
                  true);
      if (url != null && !url.isBlank() && mirror == StoreMirror.NONE) {
        redisCache(url.trim());
      }
    }
    return new NoDbStore(
        NoDbStore.context(
            locks, lease, lockWait, mirror, meterRegistry, clock, mapper, maxFileSize),
        cacheSize);
  }
}
