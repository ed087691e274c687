package io.nodb.recipes;

import io.nodb.recipes.internal.FlightCounters;
import java.time.Duration;

/**
 * Calls a loader for one round and puts its outcome in the store: the value, or a failure record
 * (for the round's waiters, or for the negative TTL). Thread-safe; a round is confined to the
 * thread that runs it.
 */
final class LoaderRunner<V> {

  private final String what;
  private final String origin;
  private final FlightStore<V> store;
  private final FlightCounters counters;
  private final Duration negativeTtl;
  private final Duration failureVisibility;

  LoaderRunner(
      String what,
      String origin,
      FlightStore<V> store,
      FlightCounters counters,
      Duration negativeTtl,
      Duration failureVisibility) {
    this.what = what;
    this.origin = origin;
    this.store = store;
    this.counters = counters;
    this.negativeTtl = negativeTtl;
    this.failureVisibility = failureVisibility;
  }

  /**
   * Runs the loader and stores the outcome, marking the round announced if the store took it.
   *
   * @return the value (stored, unless the store failed)
   * @throws LoaderFailedException if the loader threw or returned null
   * @throws LeaderInterrupted if the loader was interrupted (the flag is restored)
   */
  V run(String key, Loader<? extends V> loader, Round round) {
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
      boolean negative = !negativeTtl.isZero();
      LoadFailure failure =
          new LoadFailure(round.fence, origin, e.getClass().getName(), e.getMessage(), negative);
      round.announced = store.putFailure(key, failure, negative ? negativeTtl : failureVisibility);
      counters.failures.increment();
      throw LoaderFailedException.local(what, key, e);
    }
    round.announced = store.put(key, value);
    return value;
  }
}
