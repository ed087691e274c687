package io.nodb.recipes;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.NoDbException;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.Ticker;
import io.nodb.lock.internal.HostIdentity;
import io.nodb.recipes.internal.FlightCounters;
import io.nodb.recipes.internal.OutageGate;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.RecipeMeters;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A cache-fill guard against stampedes: for each key, one caller across all processes computes the
 * value while the others wait for it and then read it from a shared {@link ValueStore}.
 *
 * <pre>{@code
 * LockClient locks = LockClient.builder().redis("redis://cache:6379").build();
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
 *   <li>The threads of this JVM that ask for the same key at the same time share one local flight:
 *       only the first ("leader") goes on, the others wait for its result (one store read serves
 *       them all).
 *   <li>A value in the store is returned at once.
 *   <li>On a miss the leader tries the compute lock {@code (flight:<name>, <digest of key>)}. If it
 *       gets it, it reads the store once more, calls the loader (the lease is renewed by the lock
 *       client's watchdog however long that takes), stores the value, hands it to this JVM's
 *       callers and releases the lock.
 *   <li>If another process holds the lock and the store can {@linkplain ValueStore#watch watch}
 *       (the {@link RedisValueStore} can), the leader watches the key and waits for the value's
 *       notice, which the store publishes in the same step that stores it: every waiting process is
 *       woken with the value at once, without taking the lock. A holder that crashed is noticed
 *       when its lease runs out; then one waiter takes the lock and computes. Without watching, the
 *       leader waits for the lock with {@link LockClient#acquire} (woken by the release) and reads
 *       the value while holding it, one process after another.
 *   <li>If the wait runs out, the store is read once more; then the caller computes anyway (logged
 *       at WARN with the key) or throws the {@link LockTimeoutException}, per {@link
 *       WaitTimeoutPolicy}.
 *   <li>If Redis is unavailable (lock or store), the instance logs one WARN and degrades to
 *       single-flight per JVM (one loader call per key per JVM for concurrent callers) and tries
 *       Redis again after {@code retryBackendAfter}; it logs one INFO when Redis answers again.
 * </ol>
 *
 * <p>Loader failures: every caller of that round gets a {@link LoaderFailedException} — in this JVM
 * through the local flight (with the loader's exception as cause), in other processes through the
 * failure's notice or record in the store, tagged with the compute lock's fence so only callers
 * that waited for that round see it. Failures are not cached unless {@link Builder#negativeTtl} is
 * set. Null values are refused (a {@code LoaderFailedException} with a {@code NullPointerException}
 * cause). Release problems follow the lock client's release semantics (logged and counted there)
 * and never replace the loader's value or exception. An {@link Error} thrown by the loader (or by
 * the store) is not wrapped: the compute lock is released, the error reaches the caller and this
 * JVM's other callers of the round as the same instance, and the round is abandoned, so waiters in
 * other processes go back to the lock and compute themselves.
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
   * @param notified waits for another process's compute that its store notice ended; the other
   *     waits were served by this JVM's leader, by the look after watching, or by taking the
   *     compute lock (a store that cannot watch, or a pub/sub connection that is down)
   * @param fallbacks computes without cross-process coordination (Redis down, or wait ran out)
   * @param failures loader failures handed to callers (each caller counts once)
   * @param waited total time callers spent waiting
   */
  public record Stats(
      long hits,
      long computes,
      long waitsServed,
      long notified,
      long fallbacks,
      long failures,
      Duration waited) {}

  private final String name;
  private final String what;
  private final FlightStore<V> store;
  private final LoaderRunner<V> runner;
  private final @Nullable CrossProcessFlight<V> crossProcess;
  private final Duration negativeTtl;
  private final Ticker ticker;
  private final OutageGate outage;
  private final FlightCounters counters = new FlightCounters();
  private final ConcurrentHashMap<String, CompletableFuture<Served<V>>> flights =
      new ConcurrentHashMap<>();

  private SingleFlight(Builder<V> b) {
    this.name = b.name;
    this.what = "single-flight '" + b.name + "'";
    this.negativeTtl = b.negativeTtl;
    this.ticker = b.ticker;
    this.outage = new OutageGate(what, b.ticker, b.retryBackendAfter);
    this.store = new FlightStore<>(b.store, outage, what);
    this.runner =
        new LoaderRunner<>(
            what,
            HostIdentity.current().describe(),
            store,
            counters,
            b.negativeTtl,
            b.failureVisibility);
    this.crossProcess =
        b.locks == null
            ? null
            : new CrossProcessFlight<>(
                what,
                RecipeKeys.namespace(LockNamespace.FLIGHT, b.name),
                b.locks,
                store,
                runner,
                counters,
                outage,
                b.lease,
                b.waitTimeout,
                b.onTimeout,
                b.ticker);
    if (b.meterRegistry != null) {
      RecipeMeters.bindFlight(b.meterRegistry, name, counters);
    }
  }

  /**
   * Returns a builder.
   *
   * @param name the cache's name: 1-128 characters of {@code [A-Za-z0-9._-]}, starting with a
   *     letter or digit, no {@code ..}; compute locks live in the lock namespace {@code
   *     flight:<name>} ({@link LockNamespace#FLIGHT})
   * @param store where values are kept
   * @param <V> the value type
   * @return the builder
   * @throws io.nodb.InvalidLockNamespaceException if the name is invalid
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
    while (true) {
      CompletableFuture<Served<V>> mine = new CompletableFuture<>();
      CompletableFuture<Served<V>> running = flights.putIfAbsent(key, mine);
      if (running == null) {
        return lead(key, loader, mine);
      }
      Optional<V> followed = follow(key, running);
      if (followed.isPresent()) {
        return followed.get();
      }
      // the leader was cancelled: start again (its flight is out of the map by now)
    }
  }

  /** Leads this JVM's flight of the key; the flight leaves the map before it fails. */
  private V lead(String key, Loader<? extends V> loader, CompletableFuture<Served<V>> mine) {
    try {
      Served<V> served = leadRound(key, loader, mine);
      mine.complete(served);
      return served.value();
    } catch (LeaderInterrupted e) {
      // A cancelled leader is no loader failure: its followers start a round of their own.
      flights.remove(key, mine);
      mine.completeExceptionally(e);
      throw new NoDbException(
          what + ": interrupted while computing or waiting for key '" + key + "'", e.getCause());
    } catch (Throwable t) {
      // Every throwable: an Error, or a checked exception a store threw sneakily, must reach the
      // followers too, or they would wait on this flight forever. Rethrown unchanged.
      flights.remove(key, mine);
      mine.completeExceptionally(t);
      throw t;
    } finally {
      flights.remove(key, mine);
    }
  }

  /**
   * Waits for this JVM's leader of the key.
   *
   * @return its value, or empty if the leader was cancelled (the caller starts again)
   */
  private Optional<V> follow(String key, CompletableFuture<Served<V>> running) {
    long start = ticker.read();
    try {
      Served<V> served = running.get();
      if (served.hit()) {
        counters.hits.increment();
      } else {
        counters.waitsServed.increment();
        counters.waited(ticker.read() - start);
      }
      return Optional.of(served.value());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoDbException(what + ": interrupted while waiting for key '" + key + "'", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LeaderInterrupted) {
        return Optional.empty();
      }
      counters.waited(ticker.read() - start);
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
    }
  }

  /** The leader's part: the store, then the loader here or across processes. */
  private Served<V> leadRound(
      String key, Loader<? extends V> loader, CompletableFuture<Served<V>> flight) {
    Optional<V> hit = store.read(key);
    if (hit.isPresent()) {
      counters.hits.increment();
      return new Served<>(hit.get(), true);
    }
    if (!negativeTtl.isZero()) {
      Optional<LoadFailure> cached = store.readFailure(key).filter(LoadFailure::negative);
      if (cached.isPresent()) {
        counters.failures.increment();
        throw LoaderFailedException.remote(what, key, cached.get());
      }
    }
    if (crossProcess == null) {
      return new Served<>(runner.run(key, loader, Round.unlocked()), false);
    }
    if (!outage.allowsBackend()) {
      return fallback(key, loader);
    }
    try {
      return crossProcess.run(key, loader, flight);
    } catch (LockBackendUnavailableException e) {
      outage.failed(e);
      return fallback(key, loader);
    }
  }

  private Served<V> fallback(String key, Loader<? extends V> loader) {
    Optional<V> hit = store.read(key);
    if (hit.isPresent()) {
      counters.hits.increment();
      return new Served<>(hit.get(), true);
    }
    counters.fallbacks.increment();
    return new Served<>(runner.run(key, loader, Round.unlocked()), false);
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
        counters.notified.sum(),
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
    private @Nullable LockClient locks;
    private Duration lease = Duration.ofSeconds(30);
    private Duration waitTimeout = Duration.ofSeconds(30);
    private WaitTimeoutPolicy onTimeout = WaitTimeoutPolicy.COMPUTE;
    private Duration negativeTtl = Duration.ZERO;
    private Duration failureVisibility = Duration.ofSeconds(30);
    private Duration retryBackendAfter = Duration.ofSeconds(1);
    private Ticker ticker = Ticker.system();
    private @Nullable Object meterRegistry;

    private Builder(String name, ValueStore<V> store) {
      RecipeKeys.namespace(LockNamespace.FLIGHT, name);
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
     * @param lease 10 ms to 24 h ({@link LockOptions#MAX_LEASE})
     * @return this builder
     * @throws IllegalArgumentException if the lease is out of those bounds
     */
    public Builder<V> lease(Duration lease) {
      this.lease = LockOptions.requireLease(lease, "lease");
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
     * .waits.served}, {@code .waits.notified}, {@code .fallbacks}, {@code .failures} and the timer
     * {@code nodb.singleflight.wait}.
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
