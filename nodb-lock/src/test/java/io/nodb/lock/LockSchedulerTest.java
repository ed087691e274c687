package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The scheduler seam of {@link LockClientBuilder#scheduler}: set once, validated at the setter, an
 * adapter for a user's executor, and what a handle does when its scheduler refuses. (Renewal on
 * fake time is in the kit's {@code LockClientContract}, run against both backends.)
 */
class LockSchedulerTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runsRoot;

  @Test
  void theSchedulerIsSetOnceAndNeverNull() {
    LockScheduler first = (task, delay) -> null;
    LockClientBuilder builder = LockClient.builder().scheduler(first);
    assertThatThrownBy(() -> builder.scheduler((task, delay) -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set once");
    assertThatThrownBy(() -> LockClient.builder().scheduler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("scheduler");
  }

  @Test
  void anExecutorAdapterRunsTasksOnThatExecutorAndCancels() throws Exception {
    ScheduledExecutorService executor =
        new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "my-renewals"));
    try {
      LockScheduler scheduler = LockScheduler.of(executor);
      AtomicReference<String> thread = new AtomicReference<>();
      CountDownLatch ran = new CountDownLatch(1);
      scheduler.schedule(
          () -> {
            thread.set(Thread.currentThread().getName());
            ran.countDown();
          },
          Duration.ofMillis(-5));
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(thread.get()).isEqualTo("my-renewals");

      Future<?> later = scheduler.schedule(() -> thread.set("late"), Duration.ofHours(1));
      assertThat(later.cancel(false)).isTrue();
      assertThat(scheduler.toString()).startsWith("LockScheduler[");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aBrokenSchedulerNeverFailsTheAcquireThatHoldsTheLock() {
    LockScheduler broken =
        (task, delay) -> {
          throw new IllegalStateException("scheduler bug");
        };
    try (LockClient client = LockClient.builder().local(runsRoot).scheduler(broken).build()) {
      LockKey key = LockKey.of("run", "a.nodb");
      LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
      assertThat(h.isValid()).isTrue();
      assertThat(h.release()).isEqualTo(ReleaseOutcome.RELEASED);
      logs.expect(Level.WARN, "not renewed run=run key=a.nodb")
          .from("io.nodb.lock")
          .times(1)
          .await()
          .forEach(e -> assertThat(e.message()).contains("scheduler bug"));
    }
  }

  @Test
  void aRefusingSchedulerLeavesTheHandleUnrenewedAndItExpiresByItsTicker() throws Exception {
    ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(1);
    executor.shutdown();
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    try (LockClient client =
        LockClient.builder()
            .local(runsRoot)
            .ticker(nanos::get)
            .scheduler(LockScheduler.of(executor))
            .build()) {
      LockKey key = LockKey.of("run", "climate.nodb");
      LockHandle h = client.acquire(key, Duration.ofSeconds(1), Duration.ZERO);
      assertThat(h.isValid()).as("still valid by its ticker").isTrue();

      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThatThrownBy(h::ensureValid)
          .isInstanceOfSatisfying(
              LockLostException.class, e -> assertThat(e.reason()).isEqualTo(LossReason.EXPIRED));
      logs.expect(
              Level.WARN,
              "not renewed run=run key=climate.nodb token=" + h.tokenDigest() + ": LockScheduler[")
          .from("io.nodb.lock")
          .times(1);
      logs.expect(Level.WARN, "lost run=run key=climate.nodb").from("io.nodb.lock").times(1);
    }
  }
}
