package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.testpolicy.TestThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} (or any throwable) thrown while a recipe holds its lock: it reaches the caller
 * as the same instance, the lock is free at once and stays free (no renewal goes on), and nobody is
 * left waiting. Two lock clients on the local (file) backend stand for two processes; the short
 * lease makes a renewal that went on visible within a bounded poll.
 */
class RecipesOnErrorTest {

  private static final Duration LEASE = Duration.ofMillis(200);

  @TempDir Path runs;

  private LockClient a;
  private LockClient b;

  @BeforeEach
  void start() {
    a = LockClient.builder().local(runs).build();
    b = LockClient.builder().local(runs).build();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  private static LockKey computeLock(String key) {
    return LockKey.of(LockNamespace.of(LockNamespace.FLIGHT, "quotes"), RecipeKeys.digest(key));
  }

  private SingleFlight<String> flight(LockClient client, ValueStore<String> store) {
    return flight(client, store, LEASE);
  }

  private SingleFlight<String> flight(LockClient client, ValueStore<String> store, Duration lease) {
    return SingleFlight.builder("quotes", store)
        .lockClient(client)
        .lease(lease)
        .waitTimeout(Duration.ofSeconds(10))
        .onWaitTimeout(WaitTimeoutPolicy.FAIL)
        .build();
  }

  /** The lock is free now (another "process" takes it at once) and stays free past two leases. */
  private void assertFreeAndNotRenewed(LockKey key) {
    Optional<LockHandle> other = b.tryAcquire(key);
    assertThat(other).as("another process takes %s at once", key).isPresent();
    other.get().close();
    await()
        .during(LEASE.multipliedBy(2))
        .atMost(LEASE.multipliedBy(10))
        .until(() -> !a.isLocked(key) && b.owner(key).isEmpty());
  }

  private static void awaitParked(List<Thread> threads) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
  }

  private static Thread caller(CompletableFuture<Object> result, Runnable call) {
    Thread t =
        new Thread(
            () -> {
              try {
                call.run();
                result.complete("returned");
              } catch (Throwable e) {
                result.complete(e);
              }
            });
    t.start();
    return t;
  }

  @Test
  void aLoaderErrorReachesTheLeaderAndItsFollowersAsTheSameInstanceAndFreesTheLock()
      throws Exception {
    SingleFlight<String> flight = flight(a, CaffeineValueStore.create(Duration.ofMinutes(1), 10));
    OutOfMemoryError oom = new OutOfMemoryError("test");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    CompletableFuture<Object> leader = new CompletableFuture<>();
    caller(
        leader,
        () ->
            flight.getOrCompute(
                "EURUSD",
                k -> {
                  loading.countDown();
                  assertThat(fail.await(10, TimeUnit.SECONDS)).isTrue();
                  throw oom;
                }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Object>> followers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      CompletableFuture<Object> f = new CompletableFuture<>();
      followers.add(f);
      threads.add(caller(f, () -> flight.getOrCompute("EURUSD", k -> "never")));
    }
    awaitParked(threads);
    fail.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isSameAs(oom);
    for (CompletableFuture<Object> f : followers) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(oom);
    }
    assertFreeAndNotRenewed(computeLock("EURUSD"));
    assertThat(flight.getOrCompute("EURUSD", k -> "1.08")).isEqualTo("1.08");
  }

  @Test
  void anAssertionErrorOfTheLoaderLeavesNoWaiterOfAnotherProcessWaitingAndFreesTheLock()
      throws Exception {
    MemoryWatchStore shared = new MemoryWatchStore();
    // a long lease: the waiter then waits for the notice only, not for a re-check at the TTL
    SingleFlight<String> first = flight(a, shared, Duration.ofSeconds(30));
    SingleFlight<String> second = flight(b, shared, Duration.ofSeconds(30));
    AssertionError error = new AssertionError();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    CompletableFuture<Object> computing = new CompletableFuture<>();
    caller(
        computing,
        () ->
            first.getOrCompute(
                "k",
                k -> {
                  loading.countDown();
                  assertThat(fail.await(10, TimeUnit.SECONDS)).isTrue();
                  throw error;
                }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiter =
        CompletableFuture.supplyAsync(
            () -> second.getOrCompute("k", k -> "from-b"), TestThreads.PER_TASK);
    await().atMost(Duration.ofSeconds(10)).until(() -> shared.awaiting() == 1);
    fail.countDown();

    assertThat(computing.get(10, TimeUnit.SECONDS)).isSameAs(error);
    assertThat(waiter.get(10, TimeUnit.SECONDS))
        .as("the abandoned round sends the waiter back to the lock: it computes")
        .isEqualTo("from-b");
    assertFreeAndNotRenewed(computeLock("k"));
  }

  @Test
  void aStoreThrowingACheckedExceptionSneakilyFailsTheFollowersInsteadOfLeavingThemWaiting()
      throws Exception {
    IOException sneaky = new IOException("disk gone");
    CountDownLatch inSecondRead = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    HookedStore store =
        new HookedStore(
            key -> {
              if (reads.incrementAndGet() == 2) { // the look under the compute lock
                inSecondRead.countDown();
                waitFor(fail);
                throw HookedStore.sneaky(sneaky);
              }
            });
    SingleFlight<String> flight = flight(a, store);
    CompletableFuture<Object> leader = new CompletableFuture<>();
    caller(leader, () -> flight.getOrCompute("k", k -> "never"));
    assertThat(inSecondRead.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Object> follower = new CompletableFuture<>();
    awaitParked(List.of(caller(follower, () -> flight.getOrCompute("k", k -> "never"))));
    fail.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isSameAs(sneaky);
    assertThat(follower.get(10, TimeUnit.SECONDS))
        .as("the follower gets a typed failure with the leader's exception, and does not hang")
        .isInstanceOf(NoDbException.class)
        .extracting(t -> ((Throwable) t).getCause())
        .isSameAs(sneaky);
    assertFreeAndNotRenewed(computeLock("k"));
  }

  @Test
  void anErrorOfTheAbandonAfterTheLoadersErrorIsSuppressedNotThrownInstead() {
    OutOfMemoryError oom = new OutOfMemoryError("test");
    AssertionError abandonFailed = new AssertionError("abandon");
    HookedStore store = new HookedStore(key -> {});
    store.onAbandon =
        key -> {
          throw abandonFailed;
        };
    SingleFlight<String> flight = flight(a, store);

    Throwable thrown =
        catchThrowable(
            () ->
                flight.getOrCompute(
                    "k",
                    k -> {
                      throw oom;
                    }));

    assertThat(thrown).isSameAs(oom);
    assertThat(oom.getSuppressed()).containsExactly(abandonFailed);
    assertFreeAndNotRenewed(computeLock("k"));
  }

  @Test
  void aJobErrorPropagatesAsTheSameInstanceFreesTheJobAndStopsItsRenewal() {
    try (ExclusiveJobs jobsA = ExclusiveJobs.builder(a).namespace("billing").build();
        ExclusiveJobs jobsB = ExclusiveJobs.builder(b).namespace("billing").build()) {
      OutOfMemoryError oom = new OutOfMemoryError("test");

      Throwable thrown =
          catchThrowable(
              () ->
                  jobsA.run(
                      "export",
                      LEASE,
                      () -> {
                        throw oom;
                      }));

      assertThat(thrown).isSameAs(oom);
      assertThat(jobsA.counts()).containsExactly(0L, 0L, 1L);
      assertFreeAndNotRenewed(LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export"));
      assertThat(jobsB.run("export", LEASE, () -> {}).ran()).isTrue();
    }
  }

  @Test
  void aJobErrorWithinItsHoldKeepsTheJobToTheHoldsEndThenFreesIt() {
    try (ExclusiveJobs jobsA = ExclusiveJobs.builder(a).namespace("billing").build();
        ExclusiveJobs jobsB = ExclusiveJobs.builder(b).namespace("billing").build()) {
      AssertionError error = new AssertionError();
      Duration hold = Duration.ofSeconds(2);

      Throwable thrown =
          catchThrowable(
              () ->
                  jobsA.run(
                      "export",
                      LEASE,
                      hold,
                      () -> {
                        throw error;
                      }));

      assertThat(thrown).isSameAs(error);
      assertThat(jobsB.run("export", LEASE, () -> {}).status())
          .as("within the hold (renewed past its lease)")
          .isEqualTo(JobOutcome.Status.SKIPPED);
      LockKey key = LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export");
      await().atMost(Duration.ofSeconds(10)).until(() -> !b.isLocked(key));
      assertFreeAndNotRenewed(key);
    }
  }

  @Test
  void aJobErrorWithinItsHoldLeavesNoTimerHereAndClosingTheRunnerDoesNotShortenTheHold() {
    LockKey key = LockKey.of(LockNamespace.of(LockNamespace.JOB, "billing"), "export");
    ExclusiveJobs jobsA = ExclusiveJobs.builder(a).namespace("billing").build();
    OutOfMemoryError oom = new OutOfMemoryError("test");
    Throwable thrown =
        catchThrowable(
            () ->
                jobsA.run(
                    "export",
                    LEASE,
                    Duration.ofSeconds(2),
                    () -> {
                      throw oom;
                    }));
    jobsA.close();

    assertThat(thrown).isSameAs(oom);
    assertThat(oom.getSuppressed()).isEmpty();
    assertThat(b.isLocked(key)).as("held by the backend to the hold's end").isTrue();
    assertThatThrownBy(() -> jobsA.run("export", LEASE, () -> {}))
        .isInstanceOf(IllegalStateException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !b.isLocked(key));
    assertFreeAndNotRenewed(key);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not opened in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A map store whose reads and abandons run a hook first (which may throw anything). */
  private static final class HookedStore implements ValueStore<String> {
    private final CaffeineValueStore<String> values =
        CaffeineValueStore.create(Duration.ofMinutes(1), 10);
    private final Consumer<String> onGet;
    volatile Consumer<String> onAbandon = key -> {};

    HookedStore(Consumer<String> onGet) {
      this.onGet = onGet;
    }

    @Override
    public Optional<String> get(String key) {
      onGet.accept(key);
      return values.get(key);
    }

    @Override
    public void put(String key, String value) {
      values.put(key, value);
    }

    @Override
    public void abandon(String key) {
      onAbandon.accept(key);
    }

    /** Throws a checked exception without declaring it, as Kotlin or Lombok code can. */
    static RuntimeException sneaky(Throwable t) {
      throw HookedStore.<RuntimeException>rethrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
      throw (T) t;
    }
  }
}
