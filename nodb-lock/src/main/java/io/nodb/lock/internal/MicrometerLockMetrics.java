package io.nodb.lock.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lock meters in a Micrometer registry. Meter names: {@code nodb.lock.acquire.wait} (timer, tag
 * {@code outcome}), {@code nodb.lock.hold} (timer), {@code nodb.lock.renewals} (counter, tag {@code
 * result}), {@code nodb.lock.release} (counter, tag {@code outcome}), {@code nodb.lock.lost}
 * (counter, tag {@code reason}), {@code nodb.lock.forced} (counter, tag {@code kind}). Meters are
 * created once; recording is lock-free. Thread-safe.
 */
final class MicrometerLockMetrics implements LockMetrics {

  private final MeterRegistry registry;
  private final Map<AcquireOutcome, Timer> acquire = new EnumMap<>(AcquireOutcome.class);
  private final Timer hold;
  private final Counter renewOk;
  private final Counter renewFailed;
  private final Map<ReleaseOutcome, Counter> release = new EnumMap<>(ReleaseOutcome.class);
  private final Map<LossReason, Counter> lost = new EnumMap<>(LossReason.class);

  private MicrometerLockMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (AcquireOutcome o : AcquireOutcome.values()) {
      acquire.put(
          o, Timer.builder("nodb.lock.acquire.wait").tag("outcome", tag(o)).register(registry));
    }
    hold = Timer.builder("nodb.lock.hold").register(registry);
    renewOk = Counter.builder("nodb.lock.renewals").tag("result", "ok").register(registry);
    renewFailed = Counter.builder("nodb.lock.renewals").tag("result", "failed").register(registry);
    for (ReleaseOutcome o : ReleaseOutcome.values()) {
      release.put(
          o, Counter.builder("nodb.lock.release").tag("outcome", tag(o)).register(registry));
    }
    for (LossReason r : LossReason.values()) {
      lost.put(r, Counter.builder("nodb.lock.lost").tag("reason", tag(r)).register(registry));
    }
  }

  static LockMetrics create(Object registry) {
    return new MicrometerLockMetrics((MeterRegistry) registry);
  }

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void acquireWait(AcquireOutcome outcome, long nanos) {
    acquire.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void held(long nanos) {
    hold.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void renewal(boolean ok) {
    (ok ? renewOk : renewFailed).increment();
  }

  @Override
  public void release(ReleaseOutcome outcome) {
    release.get(outcome).increment();
  }

  @Override
  public void lost(LossReason reason) {
    lost.get(reason).increment();
  }

  @Override
  public void forced(String kind, int count) {
    Counter.builder("nodb.lock.forced").tag("kind", kind).register(registry).increment(count);
  }
}
