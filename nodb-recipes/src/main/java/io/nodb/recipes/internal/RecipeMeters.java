package io.nodb.recipes.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Binds recipe counters to a Micrometer registry as function meters that read the counters, so
 * recording never touches Micrometer. This is the only recipes class that refers to Micrometer
 * types; it is loaded only when a registry was given (Micrometer is an optional dependency).
 *
 * <p>Single-flight meters, tag {@code name}: {@code nodb.singleflight.hits}, {@code .computes},
 * {@code .waits.served}, {@code .waits.notified}, {@code .fallbacks}, {@code .failures} (counters)
 * and {@code nodb.singleflight.wait} (function timer). Job meters, tags {@code namespace} and
 * {@code outcome}: {@code nodb.jobs.runs}. Thread-safe.
 */
public final class RecipeMeters {

  private RecipeMeters() {}

  /**
   * Registers the single-flight meters.
   *
   * @param registry a {@code MeterRegistry}
   * @param name the single-flight's name
   * @param c its counters
   */
  public static void bindFlight(Object registry, String name, FlightCounters c) {
    MeterRegistry r = (MeterRegistry) registry;
    counter(r, "nodb.singleflight.hits", "name", name, c.hits);
    counter(r, "nodb.singleflight.computes", "name", name, c.computes);
    counter(r, "nodb.singleflight.waits.served", "name", name, c.waitsServed);
    counter(r, "nodb.singleflight.waits.notified", "name", name, c.notified);
    counter(r, "nodb.singleflight.fallbacks", "name", name, c.fallbacks);
    counter(r, "nodb.singleflight.failures", "name", name, c.failures);
    FunctionTimer.builder(
            "nodb.singleflight.wait",
            c,
            x -> x.waits.sum(),
            x -> x.waitNanos.sum(),
            TimeUnit.NANOSECONDS)
        .tag("name", name)
        .register(r);
  }

  /**
   * Registers the job meters.
   *
   * @param registry a {@code MeterRegistry}
   * @param namespace the jobs' namespace
   * @param c the counters
   */
  public static void bindJobs(Object registry, String namespace, JobCounters c) {
    MeterRegistry r = (MeterRegistry) registry;
    jobCounter(r, namespace, "ran", c.ran);
    jobCounter(r, namespace, "skipped", c.skipped);
    jobCounter(r, namespace, "failed", c.failed);
  }

  private static void jobCounter(MeterRegistry r, String namespace, String outcome, LongAdder a) {
    FunctionCounter.builder("nodb.jobs.runs", a, LongAdder::sum)
        .tag("namespace", namespace)
        .tag("outcome", outcome)
        .register(r);
  }

  private static void counter(
      MeterRegistry r, String meter, String tag, String value, LongAdder a) {
    FunctionCounter.builder(meter, a, LongAdder::sum).tag(tag, value).register(r);
  }
}
