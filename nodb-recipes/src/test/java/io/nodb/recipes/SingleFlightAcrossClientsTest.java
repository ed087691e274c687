package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockTimeoutException;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.testpolicy.TestThreads;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The cross-process protocol with two "processes" simulated by two lock clients on the local (file)
 * backend and one shared in-memory store. Waiting is observed through the lock (is it held?), never
 * by sleeping.
 */
class SingleFlightAcrossClientsTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runs;

  private final CaffeineValueStore<String> shared =
      CaffeineValueStore.create(Duration.ofMinutes(1), 100);
  private LockClient a;
  private LockClient b;

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private SingleFlight<String> flight(LockClient client, Duration wait, WaitTimeoutPolicy policy) {
    return SingleFlight.builder("quotes", shared)
        .lockClient(client)
        .lease(Duration.ofSeconds(5))
        .waitTimeout(wait)
        .onWaitTimeout(policy)
        .build();
  }

  private LockKey lockOf(String key) {
    return LockKey.of(LockNamespace.of(LockNamespace.FLIGHT, "quotes"), RecipeKeys.digest(key));
  }

  private void startClients() {
    a = LockClient.builder().local(runs).build();
    b = LockClient.builder().local(runs).build();
  }

  @Test
  void aWaiterInAnotherProcessGetsTheComputedValueWithoutCallingItsLoader() throws Exception {
    startClients();
    SingleFlight<String> first = flight(a, Duration.ofSeconds(10), WaitTimeoutPolicy.FAIL);
    SingleFlight<String> second = flight(b, Duration.ofSeconds(10), WaitTimeoutPolicy.FAIL);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> computing =
        CompletableFuture.supplyAsync(
            () ->
                first.getOrCompute(
                    "k",
                    k -> {
                      calls.incrementAndGet();
                      loading.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                      return "computed";
                    }),
            TestThreads.PER_TASK);
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiting =
        CompletableFuture.supplyAsync(
            () ->
                second.getOrCompute(
                    "k",
                    k -> {
                      calls.incrementAndGet();
                      return "duplicate";
                    }),
            TestThreads.PER_TASK);
    assertThat(b.isLocked(lockOf("k"))).isTrue();
    finish.countDown();
    assertThat(computing.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(calls).hasValue(1);
    assertThat(second.stats().computes()).isZero();
    assertThat(second.stats().hits() + second.stats().waitsServed()).isEqualTo(1);
  }

  @Test
  void aWaiterInAnotherProcessSeesTheLoaderFailureOfTheRoundItWaitedFor() throws Exception {
    startClients();
    SingleFlight<String> first = flight(a, Duration.ofSeconds(10), WaitTimeoutPolicy.FAIL);
    // the single-flight reads its ticker first just before it waits for the lock
    CountDownLatch aboutToWait = new CountDownLatch(1);
    SingleFlight<String> second =
        SingleFlight.builder("quotes", shared)
            .lockClient(b)
            .waitTimeout(Duration.ofSeconds(10))
            .onWaitTimeout(WaitTimeoutPolicy.FAIL)
            .ticker(
                () -> {
                  aboutToWait.countDown();
                  return System.nanoTime();
                })
            .build();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger secondCalls = new AtomicInteger();
    CompletableFuture<String> computing =
        CompletableFuture.supplyAsync(
            () ->
                first.getOrCompute(
                    "k",
                    k -> {
                      loading.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                      throw new IllegalStateException("upstream 503");
                    }),
            TestThreads.PER_TASK);
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiting =
        CompletableFuture.supplyAsync(
            () ->
                second.getOrCompute(
                    "k",
                    k -> {
                      secondCalls.incrementAndGet();
                      return "duplicate";
                    }),
            TestThreads.PER_TASK);
    assertThat(aboutToWait.await(10, TimeUnit.SECONDS)).isTrue();
    finish.countDown();
    assertThat(computing)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(LoaderFailedException.class);
    Throwable seen =
        catchThrowableOfType(
                java.util.concurrent.ExecutionException.class,
                () -> waiting.get(10, TimeUnit.SECONDS))
            .getCause();
    assertThat(seen).isInstanceOf(LoaderFailedException.class).hasMessageContaining("upstream 503");
    assertThat(((LoaderFailedException) seen).isRemote()).isTrue();
    assertThat(secondCalls).hasValue(0);
    assertThat(shared.get("k")).isEmpty();
    assertThat(second.getOrCompute("k", k -> "retried")).isEqualTo("retried");
  }

  /**
   * Issue 15: a wait of centuries saturates; its deadline once overflowed (ArithmeticException).
   */
  @Test
  void aWaiterWithAWaitOfCenturiesWaitsInsteadOfOverflowing() throws Exception {
    startClients();
    SingleFlight<String> first = flight(a, Duration.ofSeconds(10), WaitTimeoutPolicy.FAIL);
    CountDownLatch aboutToWait = new CountDownLatch(1);
    SingleFlight<String> second =
        SingleFlight.builder("quotes", shared)
            .lockClient(b)
            .waitTimeout(Duration.ofSeconds(Long.MAX_VALUE))
            .ticker(
                () -> {
                  aboutToWait.countDown();
                  return System.nanoTime();
                })
            .build();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> computing =
        CompletableFuture.supplyAsync(
            () ->
                first.getOrCompute(
                    "k",
                    k -> {
                      loading.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                      return "computed";
                    }),
            TestThreads.PER_TASK);
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiting =
        CompletableFuture.supplyAsync(
            () -> second.getOrCompute("k", k -> "duplicate"), TestThreads.PER_TASK);
    // the first ticker read is the start of the wait, right before its deadline is computed
    assertThat(aboutToWait.await(10, TimeUnit.SECONDS)).isTrue();
    finish.countDown();
    assertThat(computing.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(second.stats().computes()).isZero();
  }

  @Test
  void whenTheWaitRunsOutTheCallerFailsOrComputesPerPolicy() throws Exception {
    startClients();
    SingleFlight<String> holder = flight(a, Duration.ofSeconds(10), WaitTimeoutPolicy.FAIL);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> computing =
        CompletableFuture.supplyAsync(
            () ->
                holder.getOrCompute(
                    "k",
                    k -> {
                      loading.countDown();
                      assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                      return "slow";
                    }),
            TestThreads.PER_TASK);
    try {
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      SingleFlight<String> failing = flight(b, Duration.ofMillis(100), WaitTimeoutPolicy.FAIL);
      assertThatThrownBy(() -> failing.getOrCompute("k", k -> "never"))
          .isInstanceOf(LockTimeoutException.class)
          .hasMessageContaining("flight:quotes");
      SingleFlight<String> computingAnyway =
          flight(b, Duration.ofMillis(100), WaitTimeoutPolicy.COMPUTE);
      assertThat(computingAnyway.getOrCompute("k", k -> "anyway")).isEqualTo("anyway");
      assertThat(computingAnyway.stats().fallbacks()).isEqualTo(1);
      logs.expect(
              Level.WARN,
              "single-flight 'quotes': wait for key 'k' ran out, computing without the lock")
          .times(1);
    } finally {
      finish.countDown();
    }
    assertThat(computing.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
  }
}
