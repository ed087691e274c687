package io.nodb.bench.recipes;

import io.nodb.lock.LockClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stampede benchmark of {@link io.nodb.recipes.SingleFlight}: N concurrent callers spread over
 * several worker JVMs ask for one cold key at the same instant; the loader takes a fixed time.
 * Reports the loader calls per round (must be 1) and the callers' latency percentiles against the
 * loader time, for nodb and, in the same run with rounds interleaved, for {@link RawJedisFlight}
 * (the same protocol on raw Jedis with every benchmark shortcut: the floor this machine allows) and
 * for nodb over a store that cannot watch ({@link UnwatchedStore}: the lock-chain protocol). Each
 * row also splits the time around the loader: "before" is from the first caller's call to the
 * loader's start, "after" from the loader's end to the last caller's return.
 *
 * <p>Usage: {@code java -cp nodb-bench.jar io.nodb.bench.recipes.StampedeBench [--redis URL]
 * [--processes 4] [--rounds 30] [--loader-ms 200] [--callers 10,50,200] [--warmup 1000]
 * [--warmup-loader-ms 2] [--impls nodb,raw,chain]}. The warm-up rounds (10 callers, a short loader,
 * every implementation, announced 20 ms ahead) get the JIT to the code a long-running service runs.
 * Without {@code --redis} it starts {@code redis-server} from {@code PATH} on a free port and stops
 * it at the end.
 */
public final class StampedeBench {

  /** Measured rounds are announced this long before they start, so every worker is ready. */
  private static final long START_LEAD_MS = 150;

  private StampedeBench() {}

  /**
   * Runs the benchmark, or a worker when the first argument is {@code worker}.
   *
   * @param args see the class documentation
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      StampedeWorker.run(args[1], Integer.parseInt(args[2]));
      return;
    }
    String url = null;
    int processes = 4;
    int rounds = 30;
    long loaderMs = 200;
    int warmup = 1000;
    long warmupLoaderMs = 2;
    List<Integer> callers = List.of(10, 50, 200);
    List<String> impls = List.of("nodb", "raw", "chain");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--redis" -> url = args[i + 1];
        case "--processes" -> processes = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--loader-ms" -> loaderMs = Long.parseLong(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--warmup-loader-ms" -> warmupLoaderMs = Long.parseLong(args[i + 1]);
        case "--callers" ->
            callers = List.of(args[i + 1].split(",")).stream().map(Integer::valueOf).toList();
        case "--impls" -> impls = List.of(args[i + 1].split(","));
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
      ProcessHandle serverHandle = server.toHandle();
      Runtime.getRuntime().addShutdownHook(new Thread(serverHandle::destroy)); // also on Ctrl-C
      awaitRedis(url);
    }
    int maxPerProcess = callers.stream().mapToInt(Integer::intValue).max().orElse(10);
    List<Worker> workers = new ArrayList<>();
    try {
      for (int p = 0; p < processes; p++) {
        workers.add(new Worker(url, Math.max(10, maxPerProcess)));
      }
      System.out.printf(
          Locale.ROOT,
          "stampede: %d processes, loader %d ms, %d rounds per N and implementation (interleaved),"
              + " %d warm-up rounds of %d ms, redis %s%n",
          processes,
          loaderMs,
          rounds,
          warmup,
          warmupLoaderMs,
          url);
      System.out.println(
          "| N | implementation | loader calls per round | p50 | p99 | max | p99 - loader |"
              + " before loader p50 / max | after loader p50 / max |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (int w = 0; w < warmup; w++) {
        for (String impl : impls) {
          round(workers, impl, "warm-" + impl + "-" + w, 10, warmupLoaderMs, 20);
        }
      }
      for (int n : callers) {
        Map<String, Result> results = new LinkedHashMap<>();
        impls.forEach(i -> results.put(i, new Result()));
        for (int r = 0; r < rounds; r++) {
          List<String> order = new ArrayList<>(impls);
          Collections.rotate(order, r); // none goes first every time
          for (String impl : order) {
            results
                .get(impl)
                .add(round(workers, impl, impl + "-n" + n + "-" + r, n, loaderMs, START_LEAD_MS));
          }
        }
        for (Map.Entry<String, Result> e : results.entrySet()) {
          System.out.println(e.getValue().row(n, e.getKey(), loaderMs));
        }
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

  /** What one round measured, over all workers. */
  private record Round(int calls, List<Double> latencies, double beforeMs, double afterMs) {}

  private static Round round(
      List<Worker> workers, String impl, String key, int n, long loaderMs, long leadMs)
      throws IOException {
    String unique = key + "-" + System.nanoTime();
    long startAt = System.currentTimeMillis() + leadMs;
    for (int p = 0; p < workers.size(); p++) {
      int share = n / workers.size() + (p < n % workers.size() ? 1 : 0);
      workers
          .get(p)
          .send(String.join(" ", "ROUND", impl, unique, "" + startAt, "" + loaderMs, "" + share));
    }
    int calls = 0;
    long loaderStart = 0;
    long loaderEnd = 0;
    long firstStart = Long.MAX_VALUE;
    long lastEnd = Long.MIN_VALUE;
    List<Double> latencies = new ArrayList<>();
    for (Worker w : workers) {
      String[] done = w.awaitDone().split(" ");
      int c = Integer.parseInt(done[1]);
      if (c > 0) {
        loaderStart = Long.parseLong(done[2]);
        loaderEnd = Long.parseLong(done[3]);
      }
      calls += c;
      firstStart = Math.min(firstStart, Long.parseLong(done[4]));
      lastEnd = Math.max(lastEnd, Long.parseLong(done[5]));
      for (int i = 6; i < done.length; i++) {
        latencies.add(Double.parseDouble(done[i]));
      }
    }
    return new Round(
        calls, latencies, (loaderStart - firstStart) / 1e6, (lastEnd - loaderEnd) / 1e6);
  }

  /** The rounds of one N and implementation. */
  private static final class Result {
    final List<Double> latencies = new ArrayList<>();
    final List<Double> before = new ArrayList<>();
    final List<Double> after = new ArrayList<>();
    int minCalls = Integer.MAX_VALUE;
    int maxCalls;

    void add(Round r) {
      latencies.addAll(r.latencies());
      before.add(r.beforeMs());
      after.add(r.afterMs());
      minCalls = Math.min(minCalls, r.calls());
      maxCalls = Math.max(maxCalls, r.calls());
    }

    String row(int n, String impl, long loaderMs) {
      Collections.sort(latencies);
      Collections.sort(before);
      Collections.sort(after);
      double p99 = pct(latencies, 0.99);
      return String.format(
          Locale.ROOT,
          "| %d | %s | %s | %.1f ms | %.1f ms | %.1f ms | %+.1f ms | %.1f / %.1f ms | %.1f / %.1f ms |",
          n,
          switch (impl) {
            case "raw" -> "raw Jedis (floor)";
            case "chain" -> "nodb, lock chain (no notices)";
            default -> "nodb";
          },
          minCalls == maxCalls ? "" + minCalls : minCalls + "-" + maxCalls,
          pct(latencies, 0.50),
          p99,
          latencies.get(latencies.size() - 1),
          p99 - loaderMs,
          pct(before, 0.5),
          before.get(before.size() - 1),
          pct(after, 0.5),
          after.get(after.size() - 1));
    }
  }

  private static double pct(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static void awaitRedis(String url) {
    try (LockClient probe = LockClient.builder().redis(url).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try {
          probe.ping();
          return;
        } catch (RuntimeException notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
      }
    }
  }

  /** A worker JVM, driven over its stdin and stdout. */
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
}
