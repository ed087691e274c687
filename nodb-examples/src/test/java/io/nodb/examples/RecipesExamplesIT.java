package io.nodb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.lock.LockClient;
import io.nodb.recipes.JobOutcome;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The recipes examples of docs/recipes.md run as written against a real Redis. */
@ExtendWith(RedisExtension.class)
class RecipesExamplesIT {

  @Test
  void theSingleFlightExampleCallsTheUpstreamOncePerKey(TestRedis redis) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (QuoteCache cache =
        new QuoteCache(
            redis.url(),
            new SimpleMeterRegistry(),
            symbol -> {
              calls.incrementAndGet();
              try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              return new QuoteCache.Quote(symbol, 1.0842);
            })) {
      List<Future<QuoteCache.Quote>> got = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        got.add(pool.submit(() -> cache.quote("EURUSD")));
      }
      release.countDown();
      for (Future<QuoteCache.Quote> f : got) {
        assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(new QuoteCache.Quote("EURUSD", 1.0842));
      }
      assertThat(calls).as("upstream calls").hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theExclusiveJobsExampleRunsOnceAndSkipsWithinTheHold(TestRedis redis) {
    AtomicInteger exports = new AtomicInteger();
    NightlyExport job = new NightlyExport(exports::incrementAndGet);
    try (LockClient a = LockClient.builder().redis(redis.url()).build();
        LockClient b = LockClient.builder().redis(redis.url()).build()) {
      JobOutcome first = job.fire(a);
      JobOutcome second = job.fire(b);

      assertThat(first.status()).isEqualTo(JobOutcome.Status.RAN);
      assertThat(second.status()).isEqualTo(JobOutcome.Status.SKIPPED);
      assertThat(exports).hasValue(1);
    }
  }
}
