package io.nodb.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store counts: hydrations by source ({@code disk}, {@code cache}), refreshes, dumps, and
 * rejected dumps by kind (Redis cache failures are logged and counted by the cache itself, see
 * {@code NoDbStore.cacheFailures()}). Counts are always kept in-process (cheap adders, so tests and
 * {@code nodb status} can read them); Micrometer meters named {@code nodb.store.*} are added when a
 * registry is configured. Thread-safe.
 */
final class StoreMetrics {

  enum Event {
    HYDRATED_DISK("nodb.store.hydrations", "source", "disk"),
    HYDRATED_CACHE("nodb.store.hydrations", "source", "cache"),
    REFRESHED("nodb.store.refreshes", "kind", "newer-version"),
    DUMPED("nodb.store.dumps", "result", "ok"),
    REJECTED_STALE("nodb.store.dumps", "result", "stale"),
    REJECTED_FENCED("nodb.store.dumps", "result", "fenced"),
    REJECTED_LOST("nodb.store.dumps", "result", "lock-lost");

    final String meter;
    final String tagKey;
    final String tagValue;

    Event(String meter, String tagKey, String tagValue) {
      this.meter = meter;
      this.tagKey = tagKey;
      this.tagValue = tagValue;
    }
  }

  private final LongAdder[] counts = new LongAdder[Event.values().length];
  private final Object[] meters = new Object[Event.values().length];

  StoreMetrics(Object registry) {
    for (Event e : Event.values()) {
      counts[e.ordinal()] = new LongAdder();
    }
    if (registry != null) {
      Micrometer.register(registry, meters);
    }
  }

  void count(Event e) {
    counts[e.ordinal()].increment();
    Object meter = meters[e.ordinal()];
    if (meter != null) {
      Micrometer.increment(meter);
    }
  }

  long get(Event e) {
    return counts[e.ordinal()].sum();
  }

  /** Keeps Micrometer types out of StoreMetrics' own signatures (optional dependency). */
  private static final class Micrometer {
    static void register(Object registry, Object[] meters) {
      for (Event e : Event.values()) {
        meters[e.ordinal()] =
            Counter.builder(e.meter).tag(e.tagKey, e.tagValue).register((MeterRegistry) registry);
      }
    }

    static void increment(Object counter) {
      ((Counter) counter).increment();
    }
  }
}
