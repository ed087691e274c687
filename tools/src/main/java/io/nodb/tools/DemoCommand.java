package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb demo}: a thundering herd on one lock. N threads start together and each takes the
 * lock for every request, holds it briefly, and releases it; the summary shows that every request
 * succeeded in turn with no overlap, and how long the waits were. Uses the global {@code --redis
 * URL} or {@code NODB_REDIS_URL} when given, else the local backend in a temporary run directory.
 */
@Command(name = "demo", description = "Run a thundering herd on one lock and print a summary.")
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand NodbCli root;

  @Option(names = "--threads", defaultValue = "16", description = "Concurrent workers (default 16)")
  int threads;

  @Option(
      names = "--requests",
      defaultValue = "25",
      description = "Requests per worker (default 25)")
  int requests;

  @Option(names = "--hold", defaultValue = "2", description = "Milliseconds held per request")
  long holdMillis;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path runsRoot = Files.createTempDirectory("nodb-demo-");
    try (LockClient client = ClientFactory.create(root.redisUrl(), runsRoot)) {
      if (!root.json()) {
        out.printf(
            "nodb demo: %d threads x %d requests on one lock, backend %s%n",
            threads, requests, client.backendDescription());
        out.flush();
      }
      Result r = herd(client, LockKey.of("demo-run", "climate.nodb"));
      if (root.json()) {
        printJson(out, client.backendDescription(), r);
      } else {
        printSummary(out, r);
      }
      return r.overlaps == 0 && r.counter == threads * requests ? 0 : NodbCli.EXIT_FAILURE;
    } finally {
      deleteTree(runsRoot);
    }
  }

  private record Result(long[] waitsNanos, int overlaps, int counter, long elapsedNanos) {}

  private Result herd(LockClient client, LockKey key) throws Exception {
    long[] waits = new long[threads * requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int[] counter = {0};
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                gate.await();
                for (int i = 0; i < requests; i++) {
                  long start = System.nanoTime();
                  try (LockHandle h =
                      client.acquire(key, Duration.ofSeconds(30), Duration.ofMinutes(2))) {
                    waits[next.getAndIncrement()] = System.nanoTime() - start;
                    if (inside.incrementAndGet() != 1) {
                      overlaps.incrementAndGet();
                    }
                    counter[0]++;
                    TimeUnit.MILLISECONDS.sleep(holdMillis);
                    inside.decrementAndGet();
                  }
                }
                return null;
              }));
    }
    long start = System.nanoTime();
    gate.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return new Result(waits, overlaps.get(), counter[0], System.nanoTime() - start);
  }

  private void printSummary(PrintWriter out, Result r) {
    long[] w = r.waitsNanos.clone();
    Arrays.sort(w);
    double seconds = r.elapsedNanos / 1e9;
    out.println();
    out.println("  requests succeeded     " + r.counter + " / " + (threads * requests));
    out.println("  overlapping holders    " + r.overlaps + "   (must be 0)");
    out.printf(Locale.ROOT, "  hand-offs per second   %.0f%n", r.counter / seconds);
    out.printf(
        Locale.ROOT,
        "  wait p50 / p99 / max   %.1f / %.1f / %.1f ms%n",
        ms(w, 0.50),
        ms(w, 0.99),
        w[w.length - 1] / 1e6);
    out.println("  sleeps used to wait    0   (waiters are woken by each release)");
    out.println(
        r.overlaps == 0 && r.counter == threads * requests
            ? "  result                 OK"
            : "  result                 FAILED");
    out.flush();
  }

  private void printJson(PrintWriter out, String backend, Result r) {
    long[] w = r.waitsNanos.clone();
    Arrays.sort(w);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("backend", backend);
    doc.put("threads", threads);
    doc.put("requests", threads * requests);
    doc.put("succeeded", r.counter);
    doc.put("overlaps", r.overlaps);
    doc.put("waitP50Millis", ms(w, 0.50));
    doc.put("waitP99Millis", ms(w, 0.99));
    doc.put("waitMaxMillis", w[w.length - 1] / 1e6);
    doc.put("elapsedMillis", r.elapsedNanos / 1_000_000);
    doc.put("ok", r.overlaps == 0 && r.counter == threads * requests);
    JsonOutput.print(out, doc);
  }

  private static double ms(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
