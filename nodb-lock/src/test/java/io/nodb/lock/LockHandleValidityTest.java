package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Validity is judged on the holder's monotonic clock from before the acquire was sent, minus the
 * safety margin: time spent inside the backend call counts against the lease. A fake ticker makes
 * this exact; the fake wall clock advances the ticker whenever the backend reads it, which happens
 * after the client took its "sent" reading.
 */
class LockHandleValidityTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runsRoot;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicLong backendDelay = new AtomicLong();

  private final Clock slowBackendClock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          nanos.addAndGet(backendDelay.get());
          return Instant.ofEpochMilli(1_700_000_000_000L);
        }
      };

  private LockClient client(Duration margin) {
    return LockClient.builder()
        .local(runsRoot)
        .clock(slowBackendClock)
        .ticker(nanos::get)
        .safetyMargin(margin)
        .build();
  }

  @Test
  void timeSpentAcquiringCountsAgainstTheLeaseAndTheMarginIsSubtracted() {
    try (LockClient client = client(Duration.ofMillis(50))) {
      backendDelay.set(Duration.ofMillis(100).toNanos());
      LockHandle h =
          client.acquire(
              LockKey.of("run", "climate.nodb"),
              LockOptions.lease(Duration.ofSeconds(1)).withoutRenewal(),
              Duration.ZERO);
      backendDelay.set(0);
      Duration remaining = h.remaining();
      assertThat(remaining).isLessThanOrEqualTo(Duration.ofMillis(1000 - 50 - 100));
      assertThat(remaining).isGreaterThan(Duration.ofMillis(600));
      assertThat(h.isValid()).isTrue();

      nanos.addAndGet(remaining.toNanos());
      assertThat(h.isValid()).as("valid until exactly sent + lease - margin").isFalse();
      assertThat(h.remaining()).isZero();
      assertThatThrownBy(h::ensureValid)
          .isInstanceOfSatisfying(
              LockLostException.class, e -> assertThat(e.reason()).isEqualTo(LossReason.EXPIRED));
      logs.expect(Level.WARN, "lost run=run key=climate.nodb").from("io.nodb.lock").times(1);
    }
  }

  @Test
  void theDefaultMarginIsOnePercentPlusTwoMillisecondsCappedAtAQuarter() {
    try (LockClient client = LockClient.builder().local(runsRoot).ticker(nanos::get).build()) {
      LockHandle h =
          client.acquire(
              LockKey.of("run", "a.nodb"),
              LockOptions.lease(Duration.ofSeconds(10)).withoutRenewal(),
              Duration.ZERO);
      assertThat(h.remaining()).isEqualTo(Duration.ofMillis(10_000 - 100 - 2));
      LockHandle shortLease =
          client.acquire(
              LockKey.of("run", "b.nodb"),
              LockOptions.lease(Duration.ofMillis(100)).withoutRenewal(),
              Duration.ZERO);
      assertThat(shortLease.remaining()).isEqualTo(Duration.ofMillis(100 - 1 - 2));
    }
    try (LockClient client =
        LockClient.builder()
            .local(runsRoot)
            .ticker(nanos::get)
            .safetyMargin(Duration.ofSeconds(1))
            .build()) {
      LockHandle capped =
          client.acquire(
              LockKey.of("run", "c.nodb"),
              LockOptions.lease(Duration.ofMillis(100)).withoutRenewal(),
              Duration.ZERO);
      assertThat(capped.remaining())
          .as("margin capped at a quarter of the lease")
          .isEqualTo(Duration.ofMillis(75));
    }
  }
}
