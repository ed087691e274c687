package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases, holds and waits are bounded (issue 15): a lease or hold out of bounds is refused with
 * {@link IllegalArgumentException} before anything is taken or changed, waits saturate, and no
 * deadline computation overflows, whatever the clocks or a holder's stored expiry say. (The attack
 * that found these: a 300-year lease threw in the handle's constructor after the lock was taken;
 * {@code extend(Long.MAX_VALUE ms)} wrapped the local expiry negative, so a second holder got in.)
 */
class DurationBoundsTest {

  private static final LockKey KEY = LockKey.of("run", "climate.nodb");
  private static final Duration CENTURIES = Duration.ofDays(300L * 365);

  @TempDir Path runsRoot;

  private LockClient client() {
    return LockClient.builder().local(runsRoot).releaseOnShutdown(false).build();
  }

  private LockClient client(Clock clock) {
    return LockClient.builder().local(runsRoot).clock(clock).releaseOnShutdown(false).build();
  }

  @Test
  void leasesOutsideTenMillisecondsToTwentyFourHoursAreRefusedNamingTheBound() {
    for (Duration bad :
        new Duration[] {
          Duration.ZERO,
          Duration.ofMillis(-1),
          Duration.ofMillis(9),
          LockOptions.MAX_LEASE.plusNanos(1),
          CENTURIES,
          Duration.ofSeconds(Long.MAX_VALUE)
        }) {
      assertThatThrownBy(() -> LockOptions.lease(bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lease must be between 10 ms and 24 h")
          .hasMessageContaining(bad.toString());
    }
    assertThat(LockOptions.lease(LockOptions.MIN_LEASE).lease()).isEqualTo(Duration.ofMillis(10));
    assertThat(LockOptions.lease(LockOptions.MAX_LEASE).lease()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aLeaseOfCenturiesOrANegativeWaitTakesNothing() {
    try (LockClient client = client()) {
      assertThatThrownBy(() -> client.acquire(KEY, CENTURIES, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> client.acquire(KEY, Duration.ofSeconds(30), Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("wait must not be negative");
      assertThat(client.isLocked(KEY)).isFalse();
    }
  }

  @Test
  void anExtendBeyondTheBoundIsRefusedAndTheHolderKeepsTheLock() {
    try (LockClient client = client();
        LockClient other = client()) {
      LockHandle h = client.acquire(KEY, Duration.ofSeconds(30), Duration.ZERO);
      assertThatThrownBy(() -> h.extend(Duration.ofMillis(Long.MAX_VALUE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("24 h");
      assertThatThrownBy(() -> h.tryExtend(CENTURIES)).isInstanceOf(IllegalArgumentException.class);
      assertThat(h.isValid()).isTrue();
      assertThat(h.loss()).isEmpty();
      assertThat(other.tryAcquire(KEY)).as("still held: no second holder").isEmpty();
      h.extend(LockOptions.MAX_LEASE);
      assertThat(other.owner(KEY).orElseThrow().ttlLeft()).isGreaterThan(Duration.ofHours(23));
      assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
    }
  }

  @Test
  void aHoldBeyondTheBoundIsRefusedAndTheHandleCanStillBeReleased() {
    try (LockClient client = client();
        LockClient other = client()) {
      LockHandle h = client.acquire(KEY, Duration.ofSeconds(30), Duration.ZERO);
      for (Duration bad :
          new Duration[] {
            Duration.ofMillis(-1),
            LockOptions.MAX_HOLD.plusMillis(1),
            Duration.ofSeconds(Long.MAX_VALUE)
          }) {
        assertThatThrownBy(() -> h.releaseHoldingFor(bad))
            .as("%s", bad)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("atLeast must be between zero and 24 h");
      }
      assertThat(h.isValid()).as("nothing happened").isTrue();
      assertThat(h.releaseHoldingFor(LockOptions.MAX_HOLD)).isEqualTo(ReleaseOutcome.RELEASED);
      assertThat(h.isValid()).isFalse();
      assertThat(other.owner(KEY).orElseThrow().ttlLeft()).isGreaterThan(Duration.ofHours(23));
    }
  }

  @Test
  void aWaitOfCenturiesSaturatesInsteadOfOverflowing() {
    try (LockClient client = client()) {
      LockHandle h =
          client.acquire(KEY, Duration.ofSeconds(30), Duration.ofSeconds(Long.MAX_VALUE));
      assertThat(h.isValid()).isTrue();
      h.release();
    }
  }

  @Test
  void aHolderWhoseExpiryIsCenturiesAwayMakesAWaiterTimeOutNotOverflow() {
    Clock farFuture = Clock.fixed(Instant.ofEpochMilli(Long.MAX_VALUE / 2), ZoneOffset.UTC);
    try (LockClient holder = client(farFuture);
        LockClient waiter = client()) {
      holder.acquire(
          KEY, LockOptions.lease(Duration.ofSeconds(30)).withoutRenewal(), Duration.ZERO);
      assertThatThrownBy(() -> waiter.acquire(KEY, Duration.ofSeconds(30), Duration.ofMillis(20)))
          .isInstanceOf(LockTimeoutException.class);
    }
  }

  @Test
  void anExpiryPastTheEndOfTimeSaturatesSoTheKeyStaysHeld() {
    Clock endOfTime = Clock.fixed(Instant.ofEpochMilli(Long.MAX_VALUE - 1_000), ZoneOffset.UTC);
    try (LockClient first = client(endOfTime);
        LockClient second = client(endOfTime)) {
      LockHandle h =
          first.acquire(
              KEY, LockOptions.lease(Duration.ofSeconds(30)).withoutRenewal(), Duration.ZERO);
      assertThat(second.tryAcquire(KEY)).as("a wrapped expiry would look free").isEmpty();
      assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
      assertThat(second.tryAcquire(KEY)).isPresent();
    }
  }

  @Test
  void theBuilderChecksTheDefaultLeaseAndTheMarginAtTheSetter() {
    assertThatThrownBy(() -> LockClient.builder().defaultLease(Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultLease must be between 10 ms and 24 h");
    assertThatThrownBy(() -> LockClient.builder().safetyMargin(CENTURIES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("safetyMargin");
    assertThatThrownBy(() -> LockClient.builder().safetyMargin(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("safetyMargin");
  }
}
