package io.nodb.bench.recipes;

import io.nodb.lock.LockClient;
import io.nodb.recipes.Loader;
import io.nodb.recipes.RedisValueStore;
import io.nodb.recipes.SingleFlight;
import io.nodb.recipes.ValueCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker JVM of {@link StampedeBench}. It answers {@code ROUND impl key startAtEpochMs loaderMs
 * n} (impl {@code nodb}, {@code chain}: nodb over a store that cannot watch, so waiters take the
 * lock in turn, or {@code raw}: {@link RawJedisFlight}) by starting {@code n} callers at that
 * instant and printing {@code DONE calls loaderStart loaderEnd firstStart lastEnd lat1 lat2 ...}:
 * the loader calls in this JVM, the loader's start and end and the first caller's start and last
 * caller's return (in {@link System#nanoTime()}, which one host's JVMs share), then each caller's
 * latency in ms. A collection runs after each round, outside the measured time, so no GC pause
 * lands in a round.
 */
final class StampedeWorker {

  private StampedeWorker() {}

  static void run(String url, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    URI uri = URI.create(url);
    try (LockClient locks = LockClient.builder().redis(url).build();
        RedisValueStore<String> store =
            RedisValueStore.builder(url, "stampede", ValueCodec.strings())
                .ttl(Duration.ofMinutes(5))
                .build();
        RawJedisFlight raw = new RawJedisFlight(uri.getHost(), uri.getPort())) {
      SingleFlight<String> nodb = SingleFlight.builder("stampede", store).lockClient(locks).build();
      SingleFlight<String> chain =
          SingleFlight.builder("stampede", new UnwatchedStore<>(store)).lockClient(locks).build();
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] c = line.split(" ");
        String impl = c[1];
        String key = c[2];
        long startAt = Long.parseLong(c[3]);
        long loaderMs = Long.parseLong(c[4]);
        int n = Integer.parseInt(c[5]);
        AtomicInteger calls = new AtomicInteger();
        AtomicLong loaderStart = new AtomicLong();
        AtomicLong loaderEnd = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        Loader<String> loader =
            k -> {
              calls.incrementAndGet();
              loaderStart.set(System.nanoTime());
              Thread.sleep(loaderMs);
              loaderEnd.set(System.nanoTime());
              return "value-of-" + k;
            };
        List<Future<Double>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          results.add(
              pool.submit(
                  () -> {
                    long left;
                    while ((left = startAt - System.currentTimeMillis()) > 0) {
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
                    }
                    long t0 = System.nanoTime();
                    firstStart.accumulateAndGet(t0, Math::min);
                    switch (impl) {
                      case "raw" -> raw.getOrCompute(key, loader);
                      case "chain" -> chain.getOrCompute(key, loader);
                      default -> nodb.getOrCompute(key, loader);
                    }
                    long t1 = System.nanoTime();
                    lastEnd.accumulateAndGet(t1, Math::max);
                    return (t1 - t0) / 1e6;
                  }));
        }
        List<Double> latencies = new ArrayList<>();
        for (Future<Double> f : results) {
          latencies.add(f.get(60, TimeUnit.SECONDS));
        }
        System.gc();
        StringBuilder done =
            new StringBuilder("DONE ")
                .append(calls.get())
                .append(' ')
                .append(loaderStart.get())
                .append(' ')
                .append(loaderEnd.get())
                .append(' ')
                .append(firstStart.get())
                .append(' ')
                .append(lastEnd.get());
        for (double d : latencies) {
          done.append(' ').append(String.format(Locale.ROOT, "%.3f", d));
        }
        System.out.println(done);
        System.out.flush();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
