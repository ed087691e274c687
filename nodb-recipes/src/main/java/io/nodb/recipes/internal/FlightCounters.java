package io.nodb.recipes.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The single-flight counters, always kept (they are cheap) and exported to Micrometer only when a
 * registry is given ({@link RecipeMeters}). Thread-safe.
 */
public final class FlightCounters {

  /** Calls answered from the store at once. */
  public final LongAdder hits = new LongAdder();

  /** Loader invocations. */
  public final LongAdder computes = new LongAdder();

  /** Calls that waited (for this JVM's or another process's compute) and got its result. */
  public final LongAdder waitsServed = new LongAdder();

  /** Waits for another process's compute ended by the store's notice (no lock taken to read). */
  public final LongAdder notified = new LongAdder();

  /** Computes done without cross-process coordination (backend down, or wait ran out). */
  public final LongAdder fallbacks = new LongAdder();

  /** Loader failures seen by callers (the computing caller and every waiter). */
  public final LongAdder failures = new LongAdder();

  /** Number of waits. */
  public final LongAdder waits = new LongAdder();

  /** Total time spent waiting, in nanoseconds. */
  public final LongAdder waitNanos = new LongAdder();

  /**
   * Records one wait.
   *
   * @param nanos how long it took
   */
  public void waited(long nanos) {
    waits.increment();
    waitNanos.add(Math.max(0, nanos));
  }
}
