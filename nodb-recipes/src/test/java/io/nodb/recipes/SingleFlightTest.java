package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Single-flight within one JVM, over the in-memory store: no lock client, no Redis. */
class SingleFlightTest {

  private static final Duration TTL = Duration.ofMinutes(1);

  private final FakeTicker ticker = new FakeTicker();
  private final CaffeineValueStore<String> store = CaffeineValueStore.create(TTL, 100, ticker);
  private final ExecutorService pool = Executors.newFixedThreadPool(10);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private SingleFlight<String> flight() {
    return SingleFlight.builder("quotes", store).ticker(ticker).build();
  }

  @Test
  void tenConcurrentCallersShareOneLoaderCall() throws Exception {
    SingleFlight<String> flight = flight();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch arrived = new CountDownLatch(10);
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(
          pool.submit(
              () -> {
                gate.await();
                arrived.countDown();
                return flight.getOrCompute(
                    "EURUSD",
                    k -> {
                      calls.incrementAndGet();
                      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
                      return "1.08:" + k;
                    });
              }));
    }
    gate.countDown();
    for (Future<String> f : results) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("1.08:EURUSD");
    }
    assertThat(calls).hasValue(1);
    SingleFlight.Stats stats = flight.stats();
    assertThat(stats.computes()).isEqualTo(1);
    assertThat(stats.hits() + stats.waitsServed()).isEqualTo(9);
    assertThat(flight.getOrCompute("EURUSD", k -> "never")).isEqualTo("1.08:EURUSD");
  }

  @Test
  void aFailingLoaderReachesEveryWaiterOfItsRoundAndIsNotCached() throws Exception {
    SingleFlight<String> flight = flight();
    IllegalStateException boom = new IllegalStateException("upstream 503");
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch arrived = new CountDownLatch(5);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(
          pool.submit(
              () -> {
                arrived.countDown();
                return flight.getOrCompute(
                    "k",
                    k -> {
                      calls.incrementAndGet();
                      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
                      throw boom;
                    });
              }));
    }
    int failed = 0;
    for (Future<String> f : results) {
      try {
        f.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LoaderFailedException.class).hasCause(boom);
        failed++;
      }
    }
    assertThat(failed).isEqualTo(5);
    assertThat(flight.stats().failures()).isEqualTo(5);
    assertThat(flight.stats().computes()).isEqualTo(calls.get());
    assertThat(store.get("k")).isEmpty();
    assertThat(flight.getOrCompute("k", k -> "ok")).isEqualTo("ok");
    assertThat(flight.stats().computes()).isEqualTo(calls.get() + 1L);
    assertThat(store.get("k")).contains("ok");
  }

  @Test
  void aNegativeTtlCachesTheFailureUntilItExpires() {
    SingleFlight<String> flight =
        SingleFlight.builder("quotes", store)
            .ticker(ticker)
            .negativeTtl(Duration.ofSeconds(5))
            .build();
    AtomicInteger calls = new AtomicInteger();
    Loader<String> failing =
        k -> {
          calls.incrementAndGet();
          throw new java.io.IOException("down");
        };
    assertThatThrownBy(() -> flight.getOrCompute("k", failing))
        .isInstanceOf(LoaderFailedException.class)
        .hasCauseInstanceOf(java.io.IOException.class);
    assertThatThrownBy(() -> flight.getOrCompute("k", failing))
        .isInstanceOf(LoaderFailedException.class)
        .hasMessageContaining("cached failure")
        .hasMessageContaining("java.io.IOException: down");
    assertThat(calls).hasValue(1);

    ticker.advance(Duration.ofSeconds(6));
    assertThat(flight.getOrCompute("k", k -> "back")).isEqualTo("back");
  }

  @Test
  void valuesExpireWithTheStoresTtl() {
    SingleFlight<String> flight = flight();
    AtomicInteger calls = new AtomicInteger();
    Loader<String> loader = k -> "v" + calls.incrementAndGet();
    assertThat(flight.getOrCompute("k", loader)).isEqualTo("v1");
    assertThat(flight.getOrCompute("k", loader)).isEqualTo("v1");
    ticker.advance(TTL.plusSeconds(1));
    assertThat(flight.getOrCompute("k", loader)).isEqualTo("v2");
    assertThat(flight.stats().hits()).isEqualTo(1);
    assertThat(flight.stats().computes()).isEqualTo(2);
  }

  @Test
  void aNullValueIsRefusedAndNotCached() {
    SingleFlight<String> flight = flight();
    assertThatThrownBy(() -> flight.getOrCompute("k", k -> null))
        .isInstanceOf(LoaderFailedException.class)
        .hasCauseInstanceOf(NullPointerException.class);
    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void invalidNamesAreRejectedWithTheValue() {
    assertThatThrownBy(() -> SingleFlight.builder("a b", store))
        .isInstanceOf(io.nodb.InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid flight id 'a b'");
    assertThatThrownBy(() -> SingleFlight.builder("..x", store))
        .isInstanceOf(io.nodb.InvalidLockNamespaceException.class);
    assertThatThrownBy(() -> SingleFlight.builder("a:b", store))
        .isInstanceOf(io.nodb.InvalidLockNamespaceException.class)
        .hasMessageContaining("'a:b'");
  }

  @Test
  void anInterruptedLeaderDoesNotFailItsFollowersTheyComputeAgain() throws Exception {
    SingleFlight<String> flight = flight();
    CountDownLatch leaderLoading = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Future<String> leader =
        pool.submit(
            () ->
                flight.getOrCompute(
                    "GBPUSD",
                    k -> {
                      calls.incrementAndGet();
                      leaderLoading.countDown();
                      new CountDownLatch(1).await(); // blocks until interrupted
                      return "never";
                    }));
    assertThat(leaderLoading.await(10, TimeUnit.SECONDS)).isTrue();
    java.util.concurrent.CompletableFuture<String> follower =
        new java.util.concurrent.CompletableFuture<>();
    Thread followerThread =
        new Thread(
            () -> {
              try {
                follower.complete(
                    flight.getOrCompute(
                        "GBPUSD",
                        k -> {
                          calls.incrementAndGet();
                          return "1.27:" + k;
                        }));
              } catch (RuntimeException e) {
                follower.completeExceptionally(e);
              }
            });
    followerThread.start();
    // bounded poll: the follower is parked on the leader's round, not computing on its own
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> followerThread.getState() == Thread.State.WAITING);
    assertThat(calls.get()).as("only the leader's loader has run so far").isEqualTo(1);
    leader.cancel(true);

    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo("1.27:GBPUSD");
    assertThat(calls.get()).isEqualTo(2);
    assertThat(store.failure("GBPUSD")).as("no failure recorded for a cancellation").isEmpty();
  }
}
