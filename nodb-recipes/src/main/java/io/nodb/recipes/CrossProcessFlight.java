package io.nodb.recipes;

import io.nodb.NoDbException;
import io.nodb.lock.LockAttempt;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.Ticker;
import io.nodb.recipes.internal.FlightCounters;
import io.nodb.recipes.internal.OutageGate;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.RecipeLog;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cross-process part of a single-flight call, run by the one caller per JVM and key that leads
 * its local flight: take the key's compute lock and compute, or wait for the process that holds it.
 *
 * <p>Waiting, when the store can {@linkplain ValueStore#watch watch}: watch the key, look once more
 * (the round may have ended before the watch was confirmed: value, failure of the round, or the
 * holder gone), then wait for the round's notice. A value or a failure of the round ends the wait
 * at once, in every waiting process at the same moment. An abandoned round, a lost watch, or the
 * holder's TTL running out without a notice (a crashed holder) sends the caller back to the lock:
 * it computes if the lock is free, else waits for the new holder. Without watching, the caller
 * waits for the lock itself and reads the value while holding it, one process after another.
 *
 * <p>Thread-safe; a call runs on its caller's thread.
 */
final class CrossProcessFlight<V> {

  private static final int MAX_FREE_RETRIES = 5;

  /** Slack after a holder's TTL before looking at the lock again, so it has surely expired. */
  private static final long TTL_SLACK_NANOS = 5_000_000;

  private final String what;
  private final LockNamespace namespace;
  private final LockClient locks;
  private final FlightStore<V> store;
  private final LoaderRunner<V> runner;
  private final FlightCounters counters;
  private final OutageGate outage;
  private final LockOptions options;
  private final Duration waitTimeout;
  private final WaitTimeoutPolicy onTimeout;
  private final Ticker ticker;

  CrossProcessFlight(
      String what,
      LockNamespace namespace,
      LockClient locks,
      FlightStore<V> store,
      LoaderRunner<V> runner,
      FlightCounters counters,
      OutageGate outage,
      Duration lease,
      Duration waitTimeout,
      WaitTimeoutPolicy onTimeout,
      Ticker ticker) {
    this.what = what;
    this.namespace = namespace;
    this.locks = locks;
    this.store = store;
    this.runner = runner;
    this.counters = counters;
    this.outage = outage;
    this.options = LockOptions.lease(lease);
    this.waitTimeout = waitTimeout;
    this.onTimeout = onTimeout;
    this.ticker = ticker;
  }

  /**
   * Computes or waits for the key.
   *
   * @param flight this JVM's flight of the key, completed as soon as the value is stored
   * @throws io.nodb.lock.LockBackendUnavailableException before the loader ran, if the lock backend
   *     cannot be reached
   */
  Served<V> run(String key, Loader<? extends V> loader, CompletableFuture<Served<V>> flight) {
    LockKey lockKey = LockKey.of(namespace, RecipeKeys.digest(key));
    long start = 0;
    long deadline = 0;
    long round = -1; // the fence of the first holder waited for
    int freeRetries = 0;
    for (boolean waiting = false; ; ) {
      LockAttempt attempt = locks.attempt(lockKey, options);
      outage.answered();
      if (attempt.isAcquired()) {
        return holding(key, attempt.handle().orElseThrow(), loader, flight, round, waiting, start);
      }
      Optional<LockInfo> holder = attempt.holder();
      if (holder.isEmpty() && freeRetries++ < MAX_FREE_RETRIES) {
        continue; // released between the two reads: try again
      }
      if (!waiting) {
        waiting = true;
        start = ticker.read();
        // waits saturate (about 73 years) instead of overflowing
        deadline =
            start
                + (waitTimeout.compareTo(Duration.ofNanos(Long.MAX_VALUE / 4)) >= 0
                    ? Long.MAX_VALUE / 4
                    : waitTimeout.toNanos());
        round = holder.map(LockInfo::fence).filter(f -> f >= 0).orElse(Long.MAX_VALUE);
      }
      long now = ticker.read();
      if (now - deadline >= 0) {
        counters.waited(now - start);
        Duration waited = Duration.ofNanos(now - start);
        return timedOut(key, loader, new LockTimeoutException(lockKey, waited, holder));
      }
      // a holder that keeps vanishing (or cannot be read) is waited for through the lock itself
      Optional<ValueWatch<V>> watch = holder.isEmpty() ? Optional.empty() : store.watch(key);
      if (watch.isEmpty()) {
        return awaitLock(key, lockKey, loader, flight, round, start, deadline);
      }
      Served<V> served;
      try {
        served = awaitRound(key, lockKey, watch.get(), holder, round, deadline, flight);
      } catch (LoaderFailedException failed) {
        counters.waited(ticker.read() - start);
        throw failed;
      }
      if (served != null) {
        counters.waited(ticker.read() - start);
        return served;
      }
    }
  }

  /**
   * Waits for the notice of the holder's round. Returns the value, or null to look at the lock
   * again (the round ended without a value, the watch was lost, or the holder's TTL or the caller's
   * deadline passed; a holder whose lock never expires is waited for until the deadline); throws
   * the round's failure.
   */
  private Served<V> awaitRound(
      String key,
      LockKey lockKey,
      ValueWatch<V> watch,
      Optional<LockInfo> holder,
      long round,
      long deadline,
      CompletableFuture<Served<V>> flight) {
    try (watch) {
      watch.onStored(v -> flight.complete(new Served<>(v, false))); // wake this JVM's callers now
      Optional<V> stored = store.read(key);
      if (stored.isPresent()) {
        counters.waitsServed.increment();
        return new Served<>(stored.get(), false);
      }
      Optional<LoadFailure> failed = failureOf(key, round);
      if (failed.isPresent()) {
        throw remoteFailure(key, failed.get());
      }
      Optional<LockInfo> still = locks.owner(lockKey);
      if (still.isEmpty()
          || holder.isEmpty()
          || !still.get().tokenDigest().equals(holder.get().tokenDigest())) {
        return null;
      }
      // a planted TTL may be centuries: never overflow, never wait past the deadline for it
      Duration ttlLeft = still.get().ttlLeft();
      long now = ticker.read();
      long ttl = ttlLeft.compareTo(Duration.ofNanos(deadline - now)) < 0 ? ttlLeft.toNanos() : 0;
      long recheckAt = ttl > 0 ? now + ttl + TTL_SLACK_NANOS : deadline;
      while (true) {
        long left = Math.min(deadline, recheckAt) - ticker.read();
        if (left <= 0) {
          return null;
        }
        Optional<StoreNotice<V>> notice = store.await(watch, key, Duration.ofNanos(left));
        if (notice.isEmpty()) {
          continue;
        }
        StoreNotice<V> n = notice.get();
        switch (n.kind()) {
          case STORED -> {
            Served<V> served = new Served<>(n.value(), false);
            flight.complete(served); // if the listener did not already
            counters.waitsServed.increment();
            counters.notified.increment();
            return served;
          }
          case FAILED -> {
            if (n.failure().round() >= round) {
              counters.notified.increment();
              throw remoteFailure(key, n.failure());
            }
            // an older round's failure (a holder whose lease had lapsed): keep waiting
          }
          default -> {
            return null;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeaderInterrupted(e); // this JVM's other callers were not interrupted
    }
  }

  /** Waits for the lock itself (the store cannot notify), then acts while holding it. */
  private Served<V> awaitLock(
      String key,
      LockKey lockKey,
      Loader<? extends V> loader,
      CompletableFuture<Served<V>> flight,
      long round,
      long start,
      long deadline) {
    LockHandle handle;
    try {
      handle =
          locks.acquire(lockKey, options, Duration.ofNanos(Math.max(0, deadline - ticker.read())));
    } catch (LockTimeoutException timeout) {
      counters.waited(ticker.read() - start);
      return timedOut(key, loader, timeout);
    } catch (NoDbException e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw new LeaderInterrupted(interrupted); // the flag is set again by the lock client
      }
      throw e;
    }
    return holding(key, handle, loader, flight, round, true, start);
  }

  /**
   * Acts while holding the compute lock: read once more (if we waited, for the holder with fence
   * {@code round >= 0}, its value or failure is probably there), else compute. A round that stored
   * nothing is abandoned after the release, so waiters woken by that notice find the lock free.
   *
   * <p>The handle is released on every throwable (an {@link Error} of the loader or the store
   * included), which propagates unchanged; a failure of the abandon is added to it as suppressed.
   *
   * @param waitedForLock whether the caller waited for the lock (its wait is counted)
   * @param waitedSince when that wait started
   */
  private Served<V> holding(
      String key,
      LockHandle handle,
      Loader<? extends V> loader,
      CompletableFuture<Served<V>> flight,
      long round,
      boolean waitedForLock,
      long waitedSince) {
    boolean waited = round >= 0;
    Round r = Round.locked(handle.fence());
    Throwable thrown = null;
    try {
      try (handle) {
        if (waitedForLock) {
          counters.waited(ticker.read() - waitedSince);
        }
        Optional<V> stored = store.read(key);
        if (stored.isPresent()) {
          r.announced = true; // waiters of this holder find it when they look again
          (waited ? counters.waitsServed : counters.hits).increment();
          return new Served<>(stored.get(), !waited);
        }
        Optional<LoadFailure> failed = waited ? failureOf(key, round) : Optional.empty();
        if (failed.isPresent()) {
          // not announced: this round stored nothing, and its own waiters are told so
          throw remoteFailure(key, failed.get());
        }
        handle.addLossListener(loss -> RecipeLog.lostWhileLoading(what, key, loss));
        Served<V> computed = new Served<>(runner.run(key, loader, r), false);
        flight.complete(computed); // this JVM's callers need not wait for the release
        return computed;
      }
    } catch (Throwable t) {
      thrown = t;
      throw t;
    } finally {
      if (!r.announced) {
        abandonAfter(key, thrown);
      }
    }
  }

  /** Abandons the round; with a throwable on its way out, a failure here never replaces it. */
  private void abandonAfter(String key, Throwable thrown) {
    if (thrown == null) {
      store.abandon(key);
      return;
    }
    try {
      store.abandon(key);
    } catch (Throwable t) {
      if (t != thrown) {
        thrown.addSuppressed(t);
      }
    }
  }

  /** The recorded failure of the round with this fence or a later one, if any. */
  private Optional<LoadFailure> failureOf(String key, long round) {
    return store.readFailure(key).filter(f -> f.round() >= round);
  }

  private LoaderFailedException remoteFailure(String key, LoadFailure failure) {
    counters.failures.increment();
    return LoaderFailedException.remote(what, key, failure);
  }

  private Served<V> timedOut(String key, Loader<? extends V> loader, LockTimeoutException timeout) {
    Optional<V> stored = store.read(key);
    if (stored.isPresent()) {
      counters.waitsServed.increment();
      return new Served<>(stored.get(), false);
    }
    if (onTimeout == WaitTimeoutPolicy.FAIL) {
      throw timeout;
    }
    RecipeLog.computingAfterTimeout(what, key, timeout);
    counters.fallbacks.increment();
    return new Served<>(runner.run(key, loader, Round.unlocked()), false);
  }
}
