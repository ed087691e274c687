package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.testpolicy.TestThreads;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Exclusive jobs over the local (file) backend; two runners stand for two scheduler instances.
 * Renewal while a long task runs is tested on the kit's fake time, in nodb-tests ({@code
 * ExclusiveJobsRenewalTest}).
 */
class ExclusiveJobsTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runs;

  private LockClient clientA;
  private LockClient clientB;
  private ExclusiveJobs a;
  private ExclusiveJobs b;

  @BeforeEach
  void start() {
    clientA = LockClient.builder().local(runs).build();
    clientB = LockClient.builder().local(runs).build();
    a = ExclusiveJobs.builder(clientA).namespace("billing").build();
    b = ExclusiveJobs.builder(clientB).namespace("billing").build();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    clientA.close();
    clientB.close();
  }

  @Test
  void aFreeJobRunsAndIsFreeAgainAfterwards() {
    AtomicInteger runsDone = new AtomicInteger();
    JobOutcome first = a.run("export", Duration.ofSeconds(5), runsDone::incrementAndGet);
    assertThat(first.status()).isEqualTo(JobOutcome.Status.RAN);
    assertThat(first.holder()).isEmpty();
    assertThat(b.run("export", Duration.ofSeconds(5), runsDone::incrementAndGet).ran()).isTrue();
    assertThat(runsDone).hasValue(2);
    assertThat(
            clientA.isLocked(LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export")))
        .isFalse();
  }

  @Test
  void aJobLocksInItsOwnNamespaceNotInARun() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<JobOutcome> held =
        CompletableFuture.supplyAsync(
            () ->
                a.run(
                    "export",
                    Duration.ofSeconds(5),
                    () -> {
                      running.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                    }),
            TestThreads.PER_TASK);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    List<LockInfo> inJobs = clientB.admin().locks(LockNamespace.of(LockNamespace.JOB, "billing"));
    List<LockInfo> inOldRun = clientB.admin().locks("job-billing");
    finish.countDown();

    assertThat(inJobs).extracting(info -> info.key().name()).containsExactly("export");
    assertThat(inOldRun).isEmpty();
    assertThat(runs.resolve("job:billing")).isDirectory();
    assertThat(runs.resolve("job-billing")).doesNotExist();
    assertThat(held.get(10, TimeUnit.SECONDS).ran()).isTrue();
  }

  @Test
  void aBadNamespaceIsATypedErrorNamingTheKind() {
    for (String bad : new String[] {"", "a:b", "x{y}", "..x", "x".repeat(129)}) {
      assertThatThrownBy(() -> ExclusiveJobs.builder(clientA).namespace(bad))
          .as(bad)
          .isExactlyInstanceOf(io.nodb.InvalidLockNamespaceException.class)
          .hasMessageContaining("invalid job id");
    }
  }

  @Test
  void aBadJobIdIsATypedErrorNamingTheJobNamespaceNotARunId() {
    AtomicInteger runsDone = new AtomicInteger();
    for (String bad : new String[] {"", "../x", "a//b", "a b", "x{y}"}) {
      assertThatThrownBy(() -> a.run(bad, Duration.ofSeconds(5), runsDone::incrementAndGet))
          .as(bad)
          .isExactlyInstanceOf(io.nodb.InvalidLockNamespaceException.class)
          .hasMessageContaining("invalid job id '" + bad + "' in job namespace 'billing'");
    }
    assertThatThrownBy(() -> a.run(null, Duration.ofSeconds(5), runsDone::incrementAndGet))
        .hasMessageContaining("invalid job id null");
    assertThat(runsDone).hasValue(0);
  }

  @Test
  void aHoldOrLeaseOutOfBoundsIsRefusedBeforeTheJobIsTaken() {
    AtomicInteger runsDone = new AtomicInteger();
    assertThatThrownBy(
            () ->
                a.run(
                    "export",
                    Duration.ofSeconds(5),
                    Duration.ofDays(400),
                    runsDone::incrementAndGet))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holdAtLeast must be between zero and 24 h");
    assertThatThrownBy(() -> a.run("export", Duration.ofDays(400), runsDone::incrementAndGet))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExclusiveJobs.builder(clientA).holdAtLeast(Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runsDone).hasValue(0);
    assertThat(
            clientA.isLocked(LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export")))
        .isFalse();
  }

  @Test
  void aFiringWhileAnotherInstanceRunsIsSkippedAtOnceWithTheHolder() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<JobOutcome> first =
        CompletableFuture.supplyAsync(
            () ->
                a.run(
                    "export",
                    Duration.ofSeconds(5),
                    () -> {
                      running.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                    }),
            TestThreads.PER_TASK);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicInteger ranOnB = new AtomicInteger();
    JobOutcome skipped = b.run("export", Duration.ofSeconds(5), ranOnB::incrementAndGet);
    finish.countDown();

    assertThat(skipped.status()).isEqualTo(JobOutcome.Status.SKIPPED);
    assertThat(skipped.holder()).isPresent();
    assertThat(skipped.holder().get().pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(skipped.holder().get().acquiredAt()).isNotNull();
    assertThat(skipped.toString())
        .contains("already running on")
        .contains(":" + skipped.holder().get().pid());
    assertThat(ranOnB).hasValue(0);
    assertThat(first.get(10, TimeUnit.SECONDS).ran()).isTrue();
  }

  @Test
  void aThrowingTaskIsFailedWithItsCauseAndFreesTheJob() {
    IllegalStateException boom = new IllegalStateException("disk full");
    JobOutcome outcome =
        a.run(
            "export",
            Duration.ofSeconds(5),
            () -> {
              throw boom;
            });
    assertThat(outcome.status()).isEqualTo(JobOutcome.Status.FAILED);
    assertThat(outcome.failure()).containsSame(boom);
    assertThat(
            logs.expect(Level.WARN, "jobs 'billing': job 'export' failed")
                .from("io.nodb.recipes")
                .await())
        .singleElement()
        .satisfies(e -> assertThat(e.throwable()).isSameAs(boom));
    assertThat(b.run("export", Duration.ofSeconds(5), () -> {}).ran()).isTrue();
  }

  @Test
  void holdAtLeastKeepsAFastJobFromRunningAgainOnALateTrigger() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExclusiveJobs late =
        ExclusiveJobs.builder(clientB).namespace("billing").meterRegistry(registry).build();
    try {
      Duration hold = Duration.ofMillis(400);
      long start = System.nanoTime();
      assertThat(a.run("export", Duration.ofSeconds(5), hold, () -> {}).ran()).isTrue();
      JobOutcome moment = late.run("export", Duration.ofSeconds(5), hold, () -> {});
      assertThat(moment.status()).isEqualTo(JobOutcome.Status.SKIPPED);
      assertThat(moment.holder()).isPresent();
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> late.run("export", Duration.ofSeconds(5), () -> {}).ran());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(hold);
      assertThat(
              registry
                  .get("nodb.jobs.runs")
                  .tag("namespace", "billing")
                  .tag("outcome", "ran")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);
    } finally {
      late.close();
    }
  }
}
