package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.testing.time.FakeTime;
import io.nodb.testpolicy.TestThreads;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exclusive jobs on the kit's fake time: two runners (two scheduler instances) over the local
 * backend share one {@link FakeTime} as ticker, wall clock (the lock files' TTLs) and lock
 * scheduler, so a job's renewals run exactly when the test advances time and none can be late. (The
 * rest of the recipe's behaviour is in nodb-recipes' {@code ExclusiveJobsTest}.)
 */
class ExclusiveJobsRenewalTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runs;

  private final FakeTime time = FakeTime.create();
  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private LockClient clientA;
  private LockClient clientB;
  private ExclusiveJobs a;
  private ExclusiveJobs b;

  private LockClientBuilder onFakeTime() {
    return LockClient.builder().local(runs).ticker(time).clock(time.clock()).scheduler(time);
  }

  @BeforeEach
  void start() {
    clientA = onFakeTime().meterRegistry(registryA).build();
    clientB = onFakeTime().build();
    a = ExclusiveJobs.builder(clientA).namespace("billing").ticker(time).build();
    b = ExclusiveJobs.builder(clientB).namespace("billing").ticker(time).build();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    clientA.close();
    clientB.close();
  }

  private double renewalsOfA() {
    return registryA.get("nodb.lock.renewals").tag("result", "ok").counter().count();
  }

  @Test
  void theLeaseIsRenewedWhileALongTaskRuns() throws Exception {
    Duration lease = Duration.ofMillis(150);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<JobOutcome> first =
        CompletableFuture.supplyAsync(
            () ->
                a.run(
                    "export",
                    lease,
                    () -> {
                      running.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                    }),
            TestThreads.PER_TASK);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(time.pending()).as("the job's first renewal").isOne();

    // ten leases pass while the task runs: every renewal (one per third of the lease) runs here
    assertThat(time.advance(lease.multipliedBy(10))).isEqualTo(30);
    assertThat(renewalsOfA()).isEqualTo(30.0);

    JobOutcome during = b.run("export", lease, () -> {});
    assertThat(during.status())
        .as("without renewal the lock file's TTL would have run out nine leases ago")
        .isEqualTo(JobOutcome.Status.SKIPPED);
    assertThat(during.holder().orElseThrow().pid()).isEqualTo(ProcessHandle.current().pid());

    finish.countDown();
    JobOutcome done = first.get(10, TimeUnit.SECONDS);
    assertThat(done.ran()).isTrue();
    assertThat(done.took()).isEqualTo(lease.multipliedBy(10));
    assertThat(time.pending()).as("the release cancelled the next renewal").isZero();
    assertThat(
            clientB.isLocked(LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export")))
        .isFalse();
    assertThat(b.run("export", lease, () -> {}).ran()).isTrue();
  }

  @Test
  void aRunnerThatStopsRenewingLosesTheJobAfterOneLease() throws Exception {
    // a held job whose renewals never run (its scheduler is never advanced past them) is what a
    // crashed runner leaves: another instance runs the job once the lease has passed, not before
    FakeTime frozen = FakeTime.create();
    Duration lease = Duration.ofSeconds(30);
    try (LockClient crashed =
        LockClient.builder()
            .local(runs)
            .ticker(frozen)
            .clock(time.clock())
            .scheduler(frozen)
            .releaseOnShutdown(false)
            .build()) {
      LockKey key = LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export");
      crashed.acquire(key, lease, Duration.ZERO);

      time.advance(lease.minusMillis(1));
      assertThat(b.run("export", lease, () -> {}).status()).isEqualTo(JobOutcome.Status.SKIPPED);
      time.advance(Duration.ofMillis(1));
      assertThat(b.run("export", lease, () -> {}).ran()).isTrue();
      assertThat(frozen.pending()).as("the crashed runner's renewal never ran").isOne();
    }
  }
}
