package io.nodb.bench.recipes;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.recipes.RedisValueStore;
import io.nodb.recipes.SingleFlight;
import io.nodb.recipes.ValueCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Stampede benchmark of {@link SingleFlight}: N concurrent callers spread over several worker JVMs
 * ask for one cold key at the same instant; the loader takes a fixed time. Reports the loader calls
 * per round (must be 1) and the callers' latency percentiles against the loader time.
 *
 * <p>Usage: {@code java -cp nodb-bench.jar io.nodb.bench.recipes.StampedeBench [--redis URL]
 * [--processes 4] [--rounds 10] [--loader-ms 200] [--callers 10,50,200]}. Without {@code --redis}
 * it starts {@code redis-server} from {@code PATH} on a free port and stops it at the end.
 */
public final class StampedeBench {

  private StampedeBench() {}

  /**
   * Runs the benchmark, or a worker when the first argument is {@code worker}.
   *
   * @param args see the class documentation
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      worker(args[1], Integer.parseInt(args[2]));
      return;
    }
    String url = null;
    int processes = 4;
    int rounds = 10;
    long loaderMs = 200;
    List<Integer> callers = List.of(10, 50, 200);
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--redis" -> url = args[i + 1];
        case "--processes" -> processes = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--loader-ms" -> loaderMs = Long.parseLong(args[i + 1]);
        case "--callers" ->
            callers = List.of(args[i + 1].split(",")).stream().map(Integer::valueOf).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Process server = null;
    if (url == null) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      server =
          new ProcessBuilder(
                  "redis-server", "--port", "" + port, "--save", "", "--appendonly", "no")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      url = "redis://127.0.0.1:" + port;
      try (LockClient probe = LockClientBuilder.create().redis(url).build()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
          try {
            probe.ping();
            break;
          } catch (RuntimeException notYet) {
            if (System.nanoTime() > deadline) {
              throw notYet;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          }
        }
      }
    }
    int maxPerProcess = callers.stream().mapToInt(Integer::intValue).max().orElse(1);
    List<Worker> workers = new ArrayList<>();
    try {
      for (int p = 0; p < processes; p++) {
        workers.add(new Worker(url, maxPerProcess));
      }
      System.out.printf(
          Locale.ROOT,
          "stampede: %d processes, loader %d ms, %d rounds per N, redis %s%n",
          processes,
          loaderMs,
          rounds,
          url);
      System.out.println("| N | loader calls per round | p50 | p99 | max | p99 - loader |");
      System.out.println("|---|---|---|---|---|---|");
      runRounds(workers, "warm", 3, 10, loaderMs, false);
      for (int n : callers) {
        runRounds(workers, "n" + n, rounds, n, loaderMs, true);
      }
    } finally {
      for (Worker w : workers) {
        w.process.destroyForcibly();
      }
      if (server != null) {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void runRounds(
      List<Worker> workers, String tag, int rounds, int n, long loaderMs, boolean print)
      throws IOException {
    List<Double> latencies = new ArrayList<>();
    int minCalls = Integer.MAX_VALUE;
    int maxCalls = 0;
    for (int r = 0; r < rounds; r++) {
      String key = tag + "-" + r + "-" + System.nanoTime();
      long startAt = System.currentTimeMillis() + 150;
      for (int p = 0; p < workers.size(); p++) {
        int share = n / workers.size() + (p < n % workers.size() ? 1 : 0);
        workers.get(p).send("ROUND " + key + " " + startAt + " " + loaderMs + " " + share);
      }
      int calls = 0;
      for (Worker w : workers) {
        String[] done = w.awaitDone().split(" ");
        calls += Integer.parseInt(done[1]);
        for (int i = 2; i < done.length; i++) {
          latencies.add(Double.parseDouble(done[i]));
        }
      }
      minCalls = Math.min(minCalls, calls);
      maxCalls = Math.max(maxCalls, calls);
    }
    if (print) {
      Collections.sort(latencies);
      double p99 = pct(latencies, 0.99);
      System.out.printf(
          Locale.ROOT,
          "| %d | %s | %.1f ms | %.1f ms | %.1f ms | %+.1f ms |%n",
          n,
          minCalls == maxCalls ? "" + minCalls : minCalls + "-" + maxCalls,
          pct(latencies, 0.50),
          p99,
          latencies.get(latencies.size() - 1),
          p99 - loaderMs);
    }
  }

  private static double pct(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** A worker JVM: answers {@code ROUND key startAt loaderMs n} with {@code DONE calls lat...}. */
  private static final class Worker {
    final Process process;
    final Writer in;
    final BufferedReader out;

    Worker(String url, int pool) throws IOException {
      Path log = Files.createTempFile("stampede-worker", ".log");
      process =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  StampedeBench.class.getName(),
                  "worker",
                  url,
                  Integer.toString(pool))
              .redirectError(log.toFile())
              .start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      if (!"READY".equals(ready)) {
        throw new IOException("worker did not start: " + ready + "; log " + log);
      }
    }

    void send(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }

    String awaitDone() throws IOException {
      String line = out.readLine();
      if (line == null || !line.startsWith("DONE")) {
        throw new IOException("worker failed: " + line);
      }
      return line;
    }
  }

  private static void worker(String url, int pool) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(pool);
    try (LockClient locks = LockClientBuilder.create().redis(url).build();
        RedisValueStore<String> store =
            RedisValueStore.builder(url, "stampede", ValueCodec.strings())
                .ttl(Duration.ofMinutes(5))
                .build()) {
      SingleFlight<String> flight =
          SingleFlight.builder("stampede", store).lockClient(locks).build();
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] c = line.split(" ");
        String key = c[1];
        long startAt = Long.parseLong(c[2]);
        long loaderMs = Long.parseLong(c[3]);
        int n = Integer.parseInt(c[4]);
        AtomicInteger calls = new AtomicInteger();
        List<Future<Double>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          results.add(
              threads.submit(
                  () -> {
                    long left;
                    while ((left = startAt - System.currentTimeMillis()) > 0) {
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
                    }
                    long t0 = System.nanoTime();
                    flight.getOrCompute(
                        key,
                        k -> {
                          calls.incrementAndGet();
                          Thread.sleep(loaderMs);
                          return "value-of-" + k;
                        });
                    return (System.nanoTime() - t0) / 1e6;
                  }));
        }
        StringBuilder done = new StringBuilder("DONE ");
        List<Double> lat = new ArrayList<>();
        for (Future<Double> f : results) {
          lat.add(f.get(60, TimeUnit.SECONDS));
        }
        done.append(calls.get());
        for (double d : lat) {
          done.append(' ').append(String.format(Locale.ROOT, "%.3f", d));
        }
        System.out.println(done);
        System.out.flush();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
