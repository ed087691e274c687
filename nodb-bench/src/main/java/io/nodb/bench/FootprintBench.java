package io.nodb.bench;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.testing.redis.OwnedRedis;
import io.nodb.testing.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.RedisClient;

/**
 * Redis footprint of many distinct lock names: acquires and releases N distinct names of one run (4
 * threads) against a private {@code redis-server}, then reports {@code DBSIZE} and {@code
 * used_memory} before and after. Usage: {@code java -cp nodb-bench.jar io.nodb.bench.FootprintBench
 * [N]} (default 1,000,000). Prints Markdown to stdout. Not thread-safe; run once.
 */
public final class FootprintBench {

  private FootprintBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args optionally N
   * @throws Exception if Redis cannot be started or a release is not RELEASED
   */
  public static void main(String[] args) throws Exception {
    BenchMain.quietLogging();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int threads = 4;
    try (OwnedRedis server = RedisServers.launch();
        RedisClient jedis = Clients.jedis(server.url());
        LockClient client = Clients.nodb(server.url())) {
      long keysBefore = jedis.dbSize();
      long memBefore = usedMemory(jedis);
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = first; i < n; i += threads) {
                    LockHandle h =
                        client.acquire(
                            LockKey.of("bench-footprint", "image/" + i),
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(10));
                    if (h.release() != ReleaseOutcome.RELEASED) {
                      throw new IllegalStateException("release of image/" + i + " failed");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - start) / 1e9;
      long keysAfter = jedis.dbSize();
      long memAfter = usedMemory(jedis);
      System.out.printf(
          "| N distinct names (acquired + released) | keys before | keys after | used_memory"
              + " before | used_memory after | pairs/s (%d threads) |%n",
          threads);
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      System.out.printf(
          "| %,d | %,d | %,d | %,d B | %,d B | %,.0f |%n",
          n, keysBefore, keysAfter, memBefore, memAfter, n / seconds);
      System.out.println("\nkeys after: " + jedis.keys("*"));
    }
  }

  private static long usedMemory(RedisClient jedis) {
    for (String line : jedis.info("memory").split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IllegalStateException("INFO memory has no used_memory");
  }
}
