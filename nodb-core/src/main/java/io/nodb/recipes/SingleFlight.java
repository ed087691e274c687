package io.nodb.recipes;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.NoDbException;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.Ticker;
import io.nodb.lock.internal.HostIdentity;
import io.nodb.recipes.internal.FlightCounters;
import io.nodb.recipes.internal.OutageGate;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.RecipeLog;
import io.nodb.recipes.internal.RecipeMeters;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A cache-fill guard against stampedes: for each key, one caller across all processes computes the
 * value while the others wait for it and then read it from a shared {@link ValueStore}.
 *
 * <pre>{@code
 * LockClient locks = LockClientBuilder.create().redis("redis://cache:6379").build();
 * RedisValueStore<Quote> store =
 *     RedisValueStore.builder("redis://cache:6379", "quotes", ValueCodec.json(Quote.class))
 *         .ttl(Duration.ofMinutes(5))
 *         .build();
 * SingleFlight<Quote> quotes =
 *     SingleFlight.builder("quotes", store).lockClient(locks).waitTimeout(Duration.ofSeconds(20)).build();
 *
 * Quote q = quotes.getOrCompute("EURUSD", key -> pricingApi.fetch(key)); // at most one call per key
 * }</pre>
 *
 * <p>How a call proceeds:
 *
 * <ol>
 *   <li>A value in the store is returned at once.
 *   <li>On a miss, the threads of this JVM that ask for the same key share one local future; only
 *       the first ("leader") goes on, the others wait for its result.
 *   <li>The leader tries the compute lock {@code (sf-<name>, <digest of key>)}. If it gets it, it
 *       reads the store once more, calls the loader (the lease is renewed by the lock client's
 *       watchdog however long that takes), stores the value, and releases the lock.
 *   <li>If another process holds the lock, the leader waits for it with {@link LockClient#acquire}:
 *       it is woken by the release that follows the store (a signal list and {@code BLPOP}, not
 *       polling), takes the lock briefly, reads the value and lets the next waiting process in.
 *   <li>If the wait runs out, the store is read once more; then the caller computes anyway (logged
 *       at WARN with the key) or throws the {@link LockTimeoutException}, per {@link
 *       WaitTimeoutPolicy}.
 *   <li>If Redis is unavailable (lock or store), the instance logs one WARN and degrades to
 *       single-flight per JVM (one loader call per key per JVM for concurrent callers) and tries
 *       Redis again after {@code retryBackendAfter}; it logs one INFO when Redis answers again.
 * </ol>
 *
 * <p>Loader failures: every caller of that round gets a {@link LoaderFailedException} — in this JVM
 * through the local future (with the loader's exception as cause), in other processes through a
 * failure record in the store, tagged with the compute lock's fence so only callers that waited for
 * that round see it. Failures are not cached unless {@link Builder#negativeTtl} is set. Null values
 * are refused (a {@code LoaderFailedException} with a {@code NullPointerException} cause). Release
 * problems follow the lock client's release semantics (logged and counted there) and never replace
 * the loader's value or exception.
 *
 * <p>Without a lock client it is single-flight within this JVM only, which is what the {@link
 * CaffeineValueStore} is for. Cost: each distinct key leaves a fence counter and a run-index field
 * in Redis (the lock client never deletes them), so the key space should be bounded.
 *
 * <p>Thread-safe; share one instance per cache. {@link #close()} closes nothing it was given.
 *
 * @param <V> the value type
 */
public final class SingleFlight<V> implements AutoCloseable {

  /**
   * Counters since the instance was built.
   *
   * @param hits calls answered from the store at once
   * @param computes loader calls
   * @param waitsServed calls that waited for someone else's compute and got its value
   * @param fallbacks computes without cross-process coordination (Redis down, or wait ran out)
   * @param failures loader failures handed to callers (each caller counts once)
   * @param waited total time callers spent waiting
   */
  public record Stats(
      long hits, long computes, long waitsServed, long fallbacks, long failures, Duration waited) {}

  private static final int MAX_FREE_RETRIES = 5;

  private final String name;
  private final String what;
  private final String runId;
  private final ValueStore<V> store;
  private final LockClient locks;
  private final Duration lease;
  private final Duration waitTimeout;
  private final WaitTimeoutPolicy onTimeout;
  private final Duration negativeTtl;
  private final Duration failureVisibility;
  private final Ticker ticker;
  private final OutageGate outage;
  private final String origin = HostIdentity.current().describe();
  private final FlightCounters counters = new FlightCounters();
  private final ConcurrentHashMap<String, CompletableFuture<V>> flights = new ConcurrentHashMap<>();

  private SingleFlight(Builder<V> b) {
    this.name = b.name;
    this.what = "single-flight '" + b.name + "'";
    this.runId = RecipeKeys.runId("sf", b.name);
    this.store = b.store;
    this.locks = b.locks;
    this.lease = b.lease;
    this.waitTimeout = b.waitTimeout;
    this.onTimeout = b.onTimeout;
    this.negativeTtl = b.negativeTtl;
    this.failureVisibility = b.failureVisibility;
    this.ticker = b.ticker;
    this.outage = new OutageGate(what, b.ticker, b.retryBackendAfter);
    if (b.meterRegistry != null) {
      RecipeMeters.bindFlight(b.meterRegistry, name, counters);
    }
  }

  /**
   * Returns a builder.
   *
   * @param name the cache's name: 1-100 characters of {@code [A-Za-z0-9._-]}, starting with a
   *     letter or digit; compute locks live in run {@code sf-<name>}
   * @param store where values are kept
   * @param <V> the value type
   * @return the builder
   * @throws IllegalArgumentException if the name is invalid
   */
  public static <V> Builder<V> builder(String name, ValueStore<V> store) {
    return new Builder<>(name, store);
  }

  /**
   * Returns the value of {@code key} from the store, or computes it with {@code loader} such that
   * concurrent callers across all processes share one loader call.
   *
   * @param key any string (mapped to a digest for locks and Redis keys)
   * @param loader computes the value; called at most once per round across the processes while
   *     Redis is reachable
   * @return the value
   * @throws LoaderFailedException if the loader of this round failed (here or in another process),
   *     or a negative-cached failure is present
   * @throws LockTimeoutException if the wait ran out and the policy is {@link
   *     WaitTimeoutPolicy#FAIL}
   * @throws NoDbException if the thread was interrupted while waiting (the flag is restored)
   */
  public V getOrCompute(String key, Loader<? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    Optional<V> hit = read(key);
    if (hit.isPresent()) {
      counters.hits.increment();
      return hit.get();
    }
    if (!negativeTtl.isZero()) {
      Optional<LoadFailure> cached = readFailure(key).filter(LoadFailure::negative);
      if (cached.isPresent()) {
        counters.failures.increment();
        throw LoaderFailedException.remote(what, key, cached.get());
      }
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return follow(key, running, loader);
    }
    try {
      V value = lead(key, loader);
      mine.complete(value);
      return value;
    } catch (LeaderInterrupted e) {
      // A cancelled leader is no loader failure: its followers start a round of their own.
      mine.completeExceptionally(e);
      throw new NoDbException(
          what + ": interrupted while computing key '" + key + "'", e.getCause());
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      flights.remove(key, mine);
    }
  }

  /** The leader's thread was interrupted in its loader; nothing was published for the round. */
  private static final class LeaderInterrupted extends RuntimeException {
    LeaderInterrupted(InterruptedException cause) {
      super("the leader was interrupted", cause);
    }
  }

  /** Waits for this JVM's leader of the key. */
  private V follow(String key, CompletableFuture<V> running, Loader<? extends V> loader) {
    long start = ticker.read();
    try {
      V value = running.get();
      counters.waitsServed.increment();
      return value;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoDbException(what + ": interrupted while waiting for key '" + key + "'", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LeaderInterrupted) {
        return getOrCompute(key, loader);
      }
      if (e.getCause() instanceof LoaderFailedException) {
        counters.failures.increment();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new NoDbException(what + ": computing key '" + key + "' failed", e.getCause());
    } finally {
      counters.waited(ticker.read() - start);
    }
  }

  private V lead(String key, Loader<? extends V> loader) {
    if (locks == null) {
      Optional<V> hit = read(key);
      if (hit.isPresent()) {
        counters.hits.increment();
        return hit.get();
      }
      return compute(key, loader, -1);
    }
    if (!outage.allowsBackend()) {
      return fallback(key, loader);
    }
    LockKey lockKey = LockKey.of(runId, RecipeKeys.digest(key));
    try {
      return coordinate(key, lockKey, loader);
    } catch (LockBackendUnavailableException e) {
      outage.failed(e);
      return fallback(key, loader);
    }
  }

  private V fallback(String key, Loader<? extends V> loader) {
    Optional<V> hit = read(key);
    if (hit.isPresent()) {
      counters.hits.increment();
      return hit.get();
    }
    counters.fallbacks.increment();
    return compute(key, loader, -1);
  }

  /** The cross-process part; everything before the loader may throw backend-unavailable. */
  private V coordinate(String key, LockKey lockKey, Loader<? extends V> loader) {
    LockOptions options = LockOptions.lease(lease);
    for (int attempt = 0; ; attempt++) {
      Optional<LockHandle> mine = locks.tryAcquire(lockKey, options);
      outage.answered();
      if (mine.isPresent()) {
        return holding(key, mine.get(), loader, -1, 0);
      }
      Optional<LockInfo> holder = locks.owner(lockKey);
      if (holder.isEmpty() && attempt < MAX_FREE_RETRIES) {
        continue; // released between the two calls: try again
      }
      long round = holder.map(LockInfo::fence).filter(f -> f >= 0).orElse(Long.MAX_VALUE);
      long start = ticker.read();
      LockHandle handle;
      try {
        handle = locks.acquire(lockKey, options, waitTimeout);
      } catch (LockTimeoutException timeout) {
        counters.waited(ticker.read() - start);
        return timedOut(key, loader, timeout);
      }
      return holding(key, handle, loader, round, start);
    }
  }

  /**
   * Acts while holding the compute lock. If we waited ({@code round >= 0}), the value or the
   * failure of the round we waited for is probably there; else read once more, then compute.
   */
  private V holding(
      String key, LockHandle handle, Loader<? extends V> loader, long round, long waitStart) {
    try (handle) {
      if (round >= 0) {
        counters.waited(ticker.read() - waitStart);
      }
      Optional<V> stored = read(key);
      if (stored.isPresent()) {
        (round >= 0 ? counters.waitsServed : counters.hits).increment();
        return stored.get();
      }
      if (round >= 0) {
        Optional<LoadFailure> failure = readFailure(key).filter(f -> f.round() >= round);
        if (failure.isPresent()) {
          counters.failures.increment();
          throw LoaderFailedException.remote(what, key, failure.get());
        }
      }
      handle.addLossListener(loss -> RecipeLog.lostWhileLoading(what, key, loss));
      return compute(key, loader, handle.fence());
    }
  }

  private V timedOut(String key, Loader<? extends V> loader, LockTimeoutException timeout) {
    Optional<V> stored = read(key);
    if (stored.isPresent()) {
      counters.waitsServed.increment();
      return stored.get();
    }
    if (onTimeout == WaitTimeoutPolicy.FAIL) {
      throw timeout;
    }
    RecipeLog.computingAfterTimeout(what, key, timeout);
    counters.fallbacks.increment();
    return compute(key, loader, -1);
  }

  private V compute(String key, Loader<? extends V> loader, long round) {
    counters.computes.increment();
    V value;
    try {
      value = loader.load(key);
      if (value == null) {
        throw new NullPointerException("the loader returned null");
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new LeaderInterrupted(interrupted);
      }
      publishFailure(key, round, e);
      counters.failures.increment();
      throw LoaderFailedException.local(what, key, e);
    }
    if (storeReachable()) {
      try {
        store.put(key, value);
      } catch (RuntimeException e) {
        storeFailed("put", key, e);
      }
    }
    return value;
  }

  private void publishFailure(String key, long round, Exception e) {
    boolean negative = !negativeTtl.isZero();
    LoadFailure failure =
        new LoadFailure(round, origin, e.getClass().getName(), e.getMessage(), negative);
    if (!storeReachable()) {
      return;
    }
    try {
      store.putFailure(key, failure, negative ? negativeTtl : failureVisibility);
    } catch (RuntimeException storeError) {
      storeFailed("putFailure", key, storeError);
    }
  }

  private Optional<V> read(String key) {
    if (!storeReachable()) {
      return Optional.empty();
    }
    try {
      return store.get(key);
    } catch (RuntimeException e) {
      storeFailed("get", key, e);
      return Optional.empty();
    }
  }

  private Optional<LoadFailure> readFailure(String key) {
    if (!storeReachable()) {
      return Optional.empty();
    }
    try {
      return store.failure(key);
    } catch (RuntimeException e) {
      storeFailed("failure", key, e);
      return Optional.empty();
    }
  }

  /** A remote store is skipped while the backend is known to be down (until the retry time). */
  private boolean storeReachable() {
    return !store.isRemote() || outage.allowsBackend();
  }

  private void storeFailed(String operation, String key, RuntimeException e) {
    if (e instanceof LockBackendUnavailableException unavailable) {
      outage.failed(unavailable); // logged once per outage
    } else {
      RecipeLog.storeFailed(what, operation, key, e);
    }
  }

  /** Returns the name given to the builder. */
  public String name() {
    return name;
  }

  /** Returns whether Redis is currently treated as unavailable (per-JVM mode). */
  public boolean isDegraded() {
    return outage.isDown();
  }

  /** Returns the counters since the instance was built. */
  public Stats stats() {
    return new Stats(
        counters.hits.sum(),
        counters.computes.sum(),
        counters.waitsServed.sum(),
        counters.fallbacks.sum(),
        counters.failures.sum(),
        Duration.ofNanos(counters.waitNanos.sum()));
  }

  /** Does nothing to the store or lock client (the caller owns them); present for symmetry. */
  @Override
  public void close() {
    flights.clear();
  }

  /**
   * Configures a {@link SingleFlight}. Defaults: no lock client (per-JVM only), lease 30 s renewed
   * while the loader runs, wait timeout 30 s, policy {@link WaitTimeoutPolicy#COMPUTE}, no negative
   * caching, failure records visible to waiters for 30 s, Redis retried 1 s after a failure. Not
   * thread-safe.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final String name;
    private final ValueStore<V> store;
    private LockClient locks;
    private Duration lease = Duration.ofSeconds(30);
    private Duration waitTimeout = Duration.ofSeconds(30);
    private WaitTimeoutPolicy onTimeout = WaitTimeoutPolicy.COMPUTE;
    private Duration negativeTtl = Duration.ZERO;
    private Duration failureVisibility = Duration.ofSeconds(30);
    private Duration retryBackendAfter = Duration.ofSeconds(1);
    private Ticker ticker = Ticker.system();
    private Object meterRegistry;

    private Builder(String name, ValueStore<V> store) {
      RecipeKeys.runId("sf", name);
      this.name = name;
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Coordinates computes across processes through this lock client (usually the Redis one);
     * without it, single-flight is per JVM. The client is shared, not owned.
     *
     * @param client the lock client
     * @return this builder
     */
    public Builder<V> lockClient(LockClient client) {
      this.locks = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Sets the compute lock's lease; it is renewed while the loader runs, so it only bounds how
     * long a crashed computer blocks the key.
     *
     * @param lease at least 10 ms
     * @return this builder
     */
    public Builder<V> lease(Duration lease) {
      this.lease = LockOptions.lease(lease).lease();
      return this;
    }

    /**
     * Sets how long a caller waits for another process's compute.
     *
     * @param wait zero or more
     * @return this builder
     */
    public Builder<V> waitTimeout(Duration wait) {
      this.waitTimeout = notNegative(wait, "wait timeout");
      return this;
    }

    /**
     * Sets what happens when the wait runs out and the store has no value.
     *
     * @param policy compute anyway, or fail
     * @return this builder
     */
    public Builder<V> onWaitTimeout(WaitTimeoutPolicy policy) {
      this.onTimeout = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Caches loader failures for {@code ttl}: callers in that time get the failure without calling
     * the loader. Zero (the default) caches nothing.
     *
     * @param ttl zero or more
     * @return this builder
     */
    public Builder<V> negativeTtl(Duration ttl) {
      this.negativeTtl = notNegative(ttl, "negative TTL");
      return this;
    }

    /**
     * Sets how long an uncached failure record stays readable for the waiters of its round (they
     * read it milliseconds after it is written; this bounds a slow waiter).
     *
     * @param ttl at least 1 ms
     * @return this builder
     */
    public Builder<V> failureVisibility(Duration ttl) {
      if (ttl.toMillis() < 1) {
        throw new IllegalArgumentException("failure visibility must be at least 1 ms, was " + ttl);
      }
      this.failureVisibility = ttl;
      return this;
    }

    /**
     * Sets how long to skip Redis after it failed before trying it again.
     *
     * @param after zero or more
     * @return this builder
     */
    public Builder<V> retryBackendAfter(Duration after) {
      this.retryBackendAfter = notNegative(after, "retry delay");
      return this;
    }

    /**
     * Sets the monotonic clock for wait times and retry delays.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder<V> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Exports the counters as Micrometer meters tagged {@code name} (see {@link #build()}).
     * Micrometer is optional; without this call none is loaded.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder<V> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the single-flight. Meters: {@code nodb.singleflight.hits}, {@code .computes}, {@code
     * .waits.served}, {@code .fallbacks}, {@code .failures} and the timer {@code
     * nodb.singleflight.wait}.
     *
     * @return the single-flight
     */
    public SingleFlight<V> build() {
      return new SingleFlight<>(this);
    }

    private static Duration notNegative(Duration d, String what) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
