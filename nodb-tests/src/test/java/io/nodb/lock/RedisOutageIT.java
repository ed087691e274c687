package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testing.time.FakeTime;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * The lock client when Redis is stopped or paused (SIGSTOP) and comes back: typed errors within the
 * deadline, never a hang, and service resumes. Each test gets its own server, controlled by the PID
 * the kit started.
 */
@ExtendWith(RedisExtension.class)
@DedicatedRedis
class RedisOutageIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration CONNECT = Duration.ofMillis(500);
  private static final Duration READ = Duration.ofMillis(500);
  private static final Duration SLACK = Duration.ofSeconds(2);

  private LockClient client(TestRedis redis) {
    return LockClient.builder()
        .redis(redis.url())
        .connectTimeout(CONNECT)
        .readTimeout(READ)
        .build();
  }

  private static LockKey key() {
    return LockKey.of(RunIds.unique("outage"), "climate.nodb");
  }

  @Test
  void stoppedRedisGivesTypedErrorWithinTheDeadlineAndServiceResumes(TestRedis redis) {
    try (LockClient client = client(redis)) {
      LockKey key = key();
      assertThat(client.ping()).isPositive();
      redis.stop();

      long start = System.nanoTime();
      assertThatThrownBy(() -> client.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(3)))
          .isInstanceOf(LockBackendUnavailableException.class)
          .hasMessageContaining("127.0.0.1:" + redis.port());
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(Duration.ofSeconds(3).plus(READ).plus(SLACK));
      assertThatThrownBy(client::ping).isInstanceOf(LockBackendUnavailableException.class);
      assertThatThrownBy(() -> client.tryAcquire(key))
          .isInstanceOf(LockBackendUnavailableException.class);

      redis.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> client.tryAcquire(key).isPresent());
      assertThat(client.isLocked(key)).isTrue();
    }
  }

  @Test
  void pausedRedisTimesOutWithinTheReadTimeout(TestRedis redis) {
    try (LockClient client = client(redis)) {
      LockKey key = key();
      assertThat(client.ping()).isPositive();
      redis.pause();
      try {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(1)))
            .isInstanceOf(LockBackendUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isLessThan(Duration.ofSeconds(1).plus(READ).plus(SLACK));
      } finally {
        redis.resume();
      }
      assertThat(client.tryAcquire(key)).isPresent();
    }
  }

  @Test
  void releaseDuringAnOutageReportsBackendErrorAndNeverMasksTheBodysException(TestRedis redis) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LockClient client =
        LockClient.builder()
            .redis(redis.url())
            .connectTimeout(CONNECT)
            .readTimeout(READ)
            .meterRegistry(registry)
            .build()) {
      LockKey key = key();
      IllegalStateException bodyFailure = new IllegalStateException("model build failed");
      AtomicReference<LockHandle> handle = new AtomicReference<>();
      assertThatThrownBy(
              () -> {
                try (LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO)) {
                  handle.set(h);
                  redis.stop();
                  throw bodyFailure;
                }
              })
          .isSameAs(bodyFailure);
      assertThat(handle.get().release()).isEqualTo(ReleaseOutcome.BACKEND_ERROR);
      assertThat(
              registry.get("nodb.lock.release").tag("outcome", "backend_error").counter().count())
          .isEqualTo(1.0);
      assertThat(
              logs.expect(Level.ERROR, "release BACKEND_ERROR run=" + key.runId())
                  .from("io.nodb.lock")
                  .withThrowable(LockBackendUnavailableException.class)
                  .times(1)
                  .await())
          .singleElement()
          .satisfies(
              e -> assertThat(e.throwable()).hasMessageContaining("127.0.0.1:" + redis.port()));
    }
  }

  /** A client whose renewals run on {@code time} (ticker, clock and scheduler). */
  private LockClient client(TestRedis redis, FakeTime time, SimpleMeterRegistry registry) {
    return LockClient.builder()
        .redis(redis.url())
        .connectTimeout(CONNECT)
        .readTimeout(READ)
        .ticker(time)
        .clock(time.clock())
        .scheduler(time)
        .meterRegistry(registry)
        .build();
  }

  /**
   * On fake time the retries are exact: lease 30 s (valid 29.698 s by the holder's clock), first
   * renewal at 10 s, then a retry every tenth of the lease (3 s) while more than that is left. Fake
   * time stands still during each failing call, so the count does not depend on how fast the
   * stopped server refuses.
   */
  private static final Duration LONG_LEASE = Duration.ofSeconds(30);

  @Test
  void renewalThatCannotReachRedisBeforeTheLeaseEndsMarksTheHandleBackendUncertain(TestRedis redis)
      throws Exception {
    FakeTime time = FakeTime.create();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LockClient client = client(redis, time, registry)) {
      AtomicReference<LossReason> reason = new AtomicReference<>();
      LockHandle h =
          client.acquire(
              key(),
              LockOptions.lease(LONG_LEASE).withLossListener(loss -> reason.set(loss.reason())),
              Duration.ZERO);
      redis.stop();

      // failures at 10, 13, 16, 19, 22 and 25 s leave more than 3 s: each is retried
      assertThat(time.advance(Duration.ofSeconds(25))).isEqualTo(6);
      assertThat(reason.get()).isNull();
      assertThat(h.isValid()).isTrue();
      // at 28 s only 1.698 s is left: the holder is told at once instead of waiting for expiry
      assertThat(time.advance(Duration.ofSeconds(3))).isOne();
      assertThat(reason.get()).isEqualTo(LossReason.BACKEND_UNCERTAIN);
      assertThat(h.isValid()).isFalse();
      assertThat(time.pending()).isZero();
      assertThat(registry.get("nodb.lock.renewals").tag("result", "failed").counter().count())
          .isEqualTo(7.0);
      assertThat(h.release()).isEqualTo(ReleaseOutcome.BACKEND_ERROR);
      logs.expect(Level.WARN, "renewal failed run=" + h.key().runId())
          .from("io.nodb.lock")
          .times(6);
      logs.expect(Level.WARN, "reason=BACKEND_UNCERTAIN").from("io.nodb.lock").times(1);
      logs.expect(Level.ERROR, "release BACKEND_ERROR run=" + h.key().runId())
          .from("io.nodb.lock")
          .withThrowable(LockBackendUnavailableException.class)
          .times(1);
    }
  }

  @Test
  void aRenewalThatTimesOutOnAPausedRedisIsRetriedAndTheHoldSurvives(TestRedis redis) {
    FakeTime time = FakeTime.create();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LockClient client = client(redis, time, registry)) {
      LockKey key = key();
      LockHandle h = client.acquire(key, LONG_LEASE, Duration.ZERO);
      redis.pause();
      try {
        assertThat(time.advance(Duration.ofSeconds(10))).as("the renewal times out").isOne();
      } finally {
        redis.resume();
      }
      assertThat(h.isValid()).isTrue();
      assertThat(time.untilNextTask())
          .as("retried after a tenth of the lease")
          .isEqualTo(Duration.ofSeconds(3));

      assertThat(time.advance(Duration.ofSeconds(3))).isOne();
      assertThat(registry.get("nodb.lock.renewals").tag("result", "ok").counter().count())
          .isEqualTo(1.0);
      assertThat(h.remaining()).isGreaterThan(Duration.ofSeconds(29));
      assertThat(h.loss()).isEmpty();
      assertThat(client.owner(key).orElseThrow().tokenDigest()).isEqualTo(h.tokenDigest());
      assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
      logs.expect(Level.WARN, "renewal failed run=" + key.runId()).from("io.nodb.lock").times(1);
    }
  }

  @Test
  void waiterNoticesAnExpiredHolderByItsTtlRecheckWithoutASignal(TestRedis redis) {
    try (LockClient holder = client(redis);
        LockClient next = client(redis)) {
      LockKey key = key();
      LockHandle h =
          holder.acquire(
              key, LockOptions.lease(Duration.ofMillis(400)).withoutRenewal(), Duration.ZERO);
      LockHandle n = next.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(10));
      assertThat(n.fence()).isGreaterThan(h.fence());
      assertThat(h.isValid()).isFalse();
      assertThat(h.release()).isEqualTo(ReleaseOutcome.NOT_OWNER);
      assertThat(h.loss()).map(LockLostException::reason).isPresent();
      assertThat(n.release()).isEqualTo(ReleaseOutcome.RELEASED);
      logs.expect(Level.WARN, "lost run=" + key.runId()).from("io.nodb.lock").times(1);
      logs.expect(Level.WARN, "release NOT_OWNER run=" + key.runId()).from("io.nodb.lock").times(1);
    }
  }
}
