package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockTimeoutException;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.testpolicy.TestThreads;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The cross-process protocol over a store that can watch: two "processes" (two lock clients on the
 * local backend) share one {@link MemoryWatchStore}. A waiter is served by the store's notice
 * without taking the lock, and goes back to the lock when the round is abandoned, the watch is lost
 * or the holder's lease runs out. Progress is observed through the store (is someone watching?),
 * never by sleeping.
 */
class SingleFlightNoticeTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @TempDir Path runs;

  private final MemoryWatchStore store = new MemoryWatchStore();
  private LockClient a;
  private LockClient b;

  @BeforeEach
  void startClients() {
    a = LockClient.builder().local(runs).build();
    b = LockClient.builder().local(runs).build();
  }

  @AfterEach
  void closeClients() {
    a.close();
    b.close();
  }

  private SingleFlight<String> flight(LockClient client, Duration wait, WaitTimeoutPolicy policy) {
    return SingleFlight.builder("quotes", store)
        .lockClient(client)
        .lease(Duration.ofSeconds(30))
        .waitTimeout(wait)
        .onWaitTimeout(policy)
        .build();
  }

  private SingleFlight<String> flight(LockClient client) {
    return flight(client, TEN_SECONDS, WaitTimeoutPolicy.FAIL);
  }

  private static LockKey lockOf(String key) {
    return LockKey.of(LockNamespace.of(LockNamespace.FLIGHT, "quotes"), RecipeKeys.digest(key));
  }

  /** A loader that signals when it runs and returns (or throws) when the test says so. */
  private static final class GatedLoader implements Loader<String> {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch finish = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final String value;

    GatedLoader(String value) {
      this.value = value;
    }

    @Override
    public String load(String key) throws Exception {
      calls.incrementAndGet();
      running.countDown();
      if (!finish.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the test never let the loader finish");
      }
      if (value == null) {
        throw new IllegalStateException("upstream 503");
      }
      return value;
    }

    void awaitRunning() throws InterruptedException {
      assertThat(running.await(10, TimeUnit.SECONDS)).as("loader started").isTrue();
    }
  }

  /** Waits until a waiter is past its second look, in the watch's await: only a notice ends it. */
  private void awaitWaiting() {
    await().atMost(TEN_SECONDS).until(() -> store.awaiting() == 1);
  }

  private static CompletableFuture<String> async(SingleFlight<String> f, Loader<String> loader) {
    return CompletableFuture.supplyAsync(() -> f.getOrCompute("k", loader), TestThreads.PER_TASK);
  }

  private static Loader<String> counting(AtomicInteger calls, String value) {
    return k -> {
      calls.incrementAndGet();
      return value;
    };
  }

  /**
   * Process A computing with a gated loader on a thread of its own (a test may interrupt it, and an
   * interrupt must not leak into a shared pool), and callers of process B waiting past their second
   * look.
   */
  private final class Scene {
    final SingleFlight<String> second;
    final GatedLoader computer;
    final CompletableFuture<String> computing = new CompletableFuture<>();
    final Thread computerThread;
    final AtomicInteger secondCalls = new AtomicInteger();
    final List<CompletableFuture<String>> waiting = new ArrayList<>();

    Scene(String value, Duration wait, int waiters, String secondValue) throws Exception {
      second = flight(b, wait, WaitTimeoutPolicy.FAIL);
      computer = new GatedLoader(value);
      SingleFlight<String> first = flight(a);
      computerThread =
          new Thread(
              () -> {
                try {
                  computing.complete(first.getOrCompute("k", computer));
                } catch (RuntimeException e) {
                  computing.completeExceptionally(e);
                }
              },
              "computer");
      computerThread.start();
      computer.awaitRunning();
      for (int i = 0; i < waiters; i++) {
        waiting.add(async(second, counting(secondCalls, secondValue)));
      }
      awaitWaiting();
    }

    Scene() throws Exception {
      this("computed", TEN_SECONDS, 1, "duplicate");
    }

    CompletableFuture<String> waiter() {
      return waiting.get(0);
    }
  }

  @Test
  void aWaiterInAnotherProcessIsServedByTheNoticeWithoutTakingTheLock() throws Exception {
    Scene s = new Scene();

    s.computer.finish.countDown();

    assertThat(s.computing.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(s.waiter().get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(s.secondCalls).hasValue(0);
    assertThat(s.second.stats().notified()).isEqualTo(1);
    assertThat(s.second.stats().waitsServed()).isEqualTo(1);
    assertThat(store.watching("k")).as("the watch is closed").isZero();
    try (LockHandle next = a.tryAcquire(lockOf("k")).orElseThrow()) {
      assertThat(next.fence()).as("only the computer ever took the lock").isEqualTo(2);
    }
  }

  @Test
  void everyWaitingCallerOfTheOtherProcessGetsTheValueOfOneLoaderCall() throws Exception {
    Scene s = new Scene("computed", TEN_SECONDS, 5, "duplicate");

    s.computer.finish.countDown();

    assertThat(s.computing.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    for (CompletableFuture<String> w : s.waiting) {
      assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    }
    assertThat(s.secondCalls).hasValue(0);
    assertThat(store.watchesStarted).as("one watch for the whole process").hasValue(1);
  }

  @Test
  void aFailureNoticeReachesTheWaiterAndNothingIsCached() throws Exception {
    Scene s = new Scene(null, TEN_SECONDS, 1, "duplicate");

    s.computer.finish.countDown();

    assertThat(s.computing)
        .failsWithin(TEN_SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(LoaderFailedException.class);
    assertThat(s.waiter())
        .failsWithin(TEN_SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(LoaderFailedException.class)
        .withMessageContaining("upstream 503")
        .matches(e -> ((LoaderFailedException) e).isRemote(), "is remote");
    assertThat(s.secondCalls).hasValue(0);
    assertThat(store.get("k")).isEmpty();
    assertThat(s.second.getOrCompute("k", k -> "retried")).isEqualTo("retried");
  }

  @Test
  void aFailureOfAnEarlierRoundDoesNotEndTheWait() throws Exception {
    Scene s = new Scene();

    // the holder has fence 1; a failure of "round 0" is a lapsed holder's late report
    store.announce("k", StoreNotice.failed(new LoadFailure(0, "old:1", "E", "late", false)));
    assertThat(s.waiter()).isNotDone();
    s.computer.finish.countDown();

    assertThat(s.waiter().get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(s.computing.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
  }

  @Test
  void anAbandonedRoundSendsTheWaiterToTheLockAtOnce() throws Exception {
    // lease 30 s and wait 60 s: only the abandon notice can make it compute within 10 s
    Scene s = new Scene("never", Duration.ofSeconds(60), 1, "second");

    s.computerThread.interrupt(); // the computing caller is cancelled: nothing is stored

    assertThat(s.computing)
        .failsWithin(TEN_SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(NoDbException.class)
        .withMessageContaining("interrupted");
    assertThat(s.waiter().get(10, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(s.secondCalls).hasValue(1);
  }

  @Test
  void aWatchLostWhileWaitingIsOpenedAgainAndStillServesTheValue() throws Exception {
    Scene s = new Scene();

    store.loseWatches();
    await().atMost(TEN_SECONDS).until(() -> store.watchesStarted.get() == 2);
    awaitWaiting();
    s.computer.finish.countDown();

    assertThat(s.waiter().get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(s.computing.get(10, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(s.secondCalls).hasValue(0);
    assertThat(s.second.stats().notified()).isEqualTo(1);
  }

  @Test
  void aValueStoredJustBeforeTheWatchStartedIsFoundByTheSecondLook() throws Exception {
    // the holder took the lock, stored and is about to release: its notice went out before the
    // waiter watched, so only the read after watching can find the value
    try (LockHandle holder = a.tryAcquire(lockOf("k")).orElseThrow()) {
      store.beforeWatch = key -> store.putQuietly(key, "stored-before-watch");
      // a wait of 60 s: a result within 10 s comes from the second look, not the timeout's look
      SingleFlight<String> second = flight(b, Duration.ofSeconds(60), WaitTimeoutPolicy.FAIL);
      AtomicInteger calls = new AtomicInteger();
      assertThat(async(second, counting(calls, "duplicate")).get(10, TimeUnit.SECONDS))
          .isEqualTo("stored-before-watch");
      assertThat(calls).hasValue(0);
      assertThat(holder.isValid()).isTrue();
    }
  }

  @Test
  void aHolderThatDiedIsReplacedOnceItsLeaseRunsOut() throws Exception {
    // a holder that never renews, never stores and never releases: a crashed process
    LockHandle crashed =
        a.tryAcquire(lockOf("k"), LockOptions.lease(Duration.ofMillis(300)).withoutRenewal())
            .orElseThrow();
    // a wait of 60 s: a result within 10 s comes from the re-check at the holder's TTL
    SingleFlight<String> second = flight(b, Duration.ofSeconds(60), WaitTimeoutPolicy.FAIL);
    AtomicReference<Boolean> crashedLockValidWhenLoading = new AtomicReference<>();
    String v =
        async(
                second,
                k -> {
                  crashedLockValidWhenLoading.set(crashed.isValid());
                  return "after-expiry";
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(v).isEqualTo("after-expiry");
    assertThat(crashedLockValidWhenLoading.get()).isFalse();
    assertThat(second.stats().computes()).isEqualTo(1);
    assertThat(second.stats().notified()).isZero();
    // the crashed holder's handle is told by the watchdog that its lease ran out
    logs.expect(Level.WARN, "reason=EXPIRED").from("io.nodb.lock").times(1);
  }

  @Test
  void aFailureRecordedJustBeforeTheWatchStartedIsFoundByTheSecondLook() throws Exception {
    try (LockHandle holder = a.tryAcquire(lockOf("k")).orElseThrow()) {
      LoadFailure failure = new LoadFailure(holder.fence(), "a:1", "E", "upstream 503", false);
      store.beforeWatch = key -> store.recordFailureQuietly(key, failure);
      SingleFlight<String> second = flight(b, Duration.ofSeconds(60), WaitTimeoutPolicy.FAIL);
      AtomicInteger calls = new AtomicInteger();
      assertThat(async(second, counting(calls, "duplicate")))
          .failsWithin(TEN_SECONDS)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(LoaderFailedException.class)
          .withMessageContaining("upstream 503");
      assertThat(calls).hasValue(0);
    }
  }

  @Test
  void aHolderThatReleasedJustBeforeTheWatchStartedSendsTheWaiterToTheLock() throws Exception {
    LockHandle holder = a.tryAcquire(lockOf("k")).orElseThrow();
    // released with nothing stored and before any watch existed: no notice can reach the waiter
    store.beforeWatch = key -> holder.release();
    SingleFlight<String> second = flight(b, Duration.ofSeconds(60), WaitTimeoutPolicy.FAIL);
    AtomicInteger calls = new AtomicInteger();
    assertThat(async(second, counting(calls, "second")).get(10, TimeUnit.SECONDS))
        .isEqualTo("second");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aHolderThatFindsTheFailureOfTheRoundItWaitedForStillLetsItsOwnWaitersGo() throws Exception {
    // X waits for a crashed holder H (fence 1); when H's lease ends, X takes the lock (fence 2)
    // and finds H's failure. A waiter W that arrived while X held the lock waits for X's round,
    // which stores nothing: X must say so, or W waits out X's 30 s lease.
    LockHandle crashed =
        a.tryAcquire(lockOf("k"), LockOptions.lease(Duration.ofMillis(300)).withoutRenewal())
            .orElseThrow();
    SingleFlight<String> x = flight(a, Duration.ofSeconds(60), WaitTimeoutPolicy.FAIL);
    SingleFlight<String> w = flight(b, Duration.ofSeconds(60), WaitTimeoutPolicy.FAIL);
    AtomicInteger wCalls = new AtomicInteger();
    AtomicReference<CompletableFuture<String>> wCall = new AtomicReference<>();
    store.beforeFailureRead =
        n -> {
          if (n == 2) { // X's look while holding the lock; W's own look is read 3
            store.recordFailureQuietly("k", new LoadFailure(1, "h:1", "E", "503", false));
            wCall.set(async(w, counting(wCalls, "from W")));
            await().atMost(TEN_SECONDS).until(() -> store.awaiting() == 1);
          }
        };
    CompletableFuture<String> xCall = async(x, k -> "from X");

    assertThat(xCall)
        .failsWithin(TEN_SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(LoaderFailedException.class);
    assertThat(crashed.isValid()).isFalse();
    assertThat(wCall.get().get(10, TimeUnit.SECONDS)).isEqualTo("from W");
    assertThat(wCalls).hasValue(1);
    logs.expect(Level.WARN, "reason=EXPIRED").from("io.nodb.lock").times(1);
  }

  @Test
  void whenTheWaitRunsOutTheWaiterFailsNamingTheHolderOrComputesPerPolicy() throws Exception {
    GatedLoader computer = new GatedLoader("slow");
    CompletableFuture<String> computing = async(flight(a), computer);
    try {
      computer.awaitRunning();
      SingleFlight<String> failing = flight(b, Duration.ofMillis(100), WaitTimeoutPolicy.FAIL);
      assertThatThrownBy(() -> failing.getOrCompute("k", k -> "never"))
          .isInstanceOf(LockTimeoutException.class)
          .hasMessageContaining("flight:quotes")
          .hasMessageContaining("held by");
      SingleFlight<String> anyway = flight(b, Duration.ofMillis(100), WaitTimeoutPolicy.COMPUTE);
      assertThat(anyway.getOrCompute("k", k -> "anyway")).isEqualTo("anyway");
      assertThat(anyway.stats().fallbacks()).isEqualTo(1);
      logs.expect(
              Level.WARN,
              "single-flight 'quotes': wait for key 'k' ran out, computing without the lock")
          .times(1);
    } finally {
      computer.finish.countDown();
    }
    assertThat(computing.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
  }
}
