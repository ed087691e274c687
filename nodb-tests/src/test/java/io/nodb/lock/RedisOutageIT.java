package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.testing.redis.DedicatedRedis;
import io.nodb.testing.redis.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    return LockClientBuilder.create()
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
        LockClientBuilder.create()
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

  @Test
  void renewalThatCannotReachRedisBeforeTheLeaseEndsMarksTheHandleBackendUncertain(TestRedis redis)
      throws Exception {
    try (LockClient client = client(redis)) {
      CountDownLatch told = new CountDownLatch(1);
      AtomicReference<LossReason> reason = new AtomicReference<>();
      LockHandle h =
          client.acquire(
              key(),
              LockOptions.lease(Duration.ofMillis(1500))
                  .withLossListener(
                      loss -> {
                        reason.set(loss.reason());
                        told.countDown();
                      }),
              Duration.ZERO);
      redis.stop();
      assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(reason.get()).isEqualTo(LossReason.BACKEND_UNCERTAIN);
      assertThat(h.isValid()).isFalse();
      assertThat(h.release()).isEqualTo(ReleaseOutcome.BACKEND_ERROR);
      // one WARN per failed renewal attempt: how many fit before the lease ends depends on timing
      logs.allow(Level.WARN, "renewal failed run=" + h.key().runId()).from("io.nodb.lock");
      logs.expect(Level.WARN, "reason=BACKEND_UNCERTAIN").from("io.nodb.lock").times(1);
      logs.expect(Level.ERROR, "release BACKEND_ERROR run=" + h.key().runId())
          .from("io.nodb.lock")
          .withThrowable(LockBackendUnavailableException.class)
          .times(1);
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
