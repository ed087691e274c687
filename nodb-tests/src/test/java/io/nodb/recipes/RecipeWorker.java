package io.nodb.recipes;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.lock.LockClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker JVM for the multi-process recipe tests, driven by commands on stdin and answering on
 * stdout (one line per event; see {@link WorkerJvms}). Modes:
 *
 * <ul>
 *   <li>{@code flight url name poolSize leaseMs timeoutMs}: one {@link SingleFlight} over Redis;
 *       command {@code ROUND id key startAtEpochMs loaderMs ok|fail|hang|outlive n} runs {@code n}
 *       callers that start at the given instant and prints {@code LOADING id} when its loader
 *       starts, {@code R id ok <value>} or {@code R id error <message>} per caller, then {@code
 *       DONE id calls=<loader calls in this JVM> notified=<waits this JVM's store notice ended, in
 *       total>}. A {@code hang} loader never returns (the test kills the JVM). An {@code outlive}
 *       loader returns once this JVM's lock client renewed the compute lock {@code loaderMs} times
 *       (a count, not milliseconds): the third renewal is due no earlier than one lease after the
 *       acquisition, so such a loader outlives its lease by construction, however slow the machine.
 *   <li>{@code jobs url namespace firings periodMs leaseMs holdMs}: command {@code GO
 *       startAtEpochMs} fires job {@code report} at {@code startAt + i * period} and prints {@code
 *       F i STATUS holderPid}, then {@code DONE}.
 *   <li>{@code longjob url namespace leaseMs}: command {@code GO} runs job {@code report} whose
 *       task prints {@code STARTED} and never returns (the test kills the JVM).
 * </ul>
 */
public final class RecipeWorker {

  private static final long PID = ProcessHandle.current().pid();

  private RecipeWorker() {}

  /**
   * Runs the worker.
   *
   * @param args the mode and its arguments
   * @throws Exception on any failure (the test sees the exit code and stderr)
   */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "flight" -> flight(args);
      case "jobs" -> jobs(args);
      case "longjob" -> longJob(args);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }

  private static LockClient locks(String url, Duration timeout) {
    return locks(url, timeout, new SimpleMeterRegistry());
  }

  private static LockClient locks(String url, Duration timeout, SimpleMeterRegistry registry) {
    return LockClient.builder()
        .redis(url)
        .connectTimeout(timeout)
        .readTimeout(timeout)
        .meterRegistry(registry)
        .build();
  }

  /** Successful lease renewals of this JVM's lock client so far. */
  private static double renewals(SimpleMeterRegistry registry) {
    var ok = registry.find("nodb.lock.renewals").tag("result", "ok").counter();
    return ok == null ? 0 : ok.count();
  }

  private static void flight(String[] a) throws Exception {
    String url = a[1];
    String name = a[2];
    int threads = Integer.parseInt(a[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(a[4]));
    Duration timeout = Duration.ofMillis(Long.parseLong(a[5]));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LockClient locks = locks(url, timeout, registry);
        RedisValueStore<String> store =
            RedisValueStore.builder(url, name, ValueCodec.strings())
                .ttl(Duration.ofMillis(1500))
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .build()) {
      SingleFlight<String> flight =
          SingleFlight.builder(name, store)
              .lockClient(locks)
              .lease(lease)
              .waitTimeout(Duration.ofSeconds(15))
              .retryBackendAfter(Duration.ofMillis(200))
              .build();
      say("READY " + PID);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] c = line.split(" ");
        if (!"ROUND".equals(c[0])) {
          break;
        }
        round(
            flight,
            registry,
            pool,
            Integer.parseInt(c[6]),
            c[1],
            c[2],
            Long.parseLong(c[3]),
            Long.parseLong(c[4]),
            c[5]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void round(
      SingleFlight<String> flight,
      SimpleMeterRegistry registry,
      ExecutorService pool,
      int threads,
      String id,
      String key,
      long startAt,
      long loaderMillis,
      String behaviour)
      throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                parkUntil(startAt);
                try {
                  String v =
                      flight.getOrCompute(
                          key,
                          k -> {
                            calls.incrementAndGet();
                            say("LOADING " + id);
                            if ("hang".equals(behaviour)) {
                              new CountDownLatch(1).await(); // a holder that will be SIGKILLed
                            }
                            if ("outlive".equals(behaviour)) {
                              // the only lock this JVM holds is the compute lock: wait for its
                              // renewals, not for a time (see the class comment)
                              double base = renewals(registry);
                              await()
                                  .atMost(Duration.ofSeconds(60))
                                  .pollInterval(Duration.ofMillis(10))
                                  .until(() -> renewals(registry) - base >= loaderMillis);
                            } else {
                              Thread.sleep(loaderMillis); // the slow upstream call
                            }
                            if ("fail".equals(behaviour)) {
                              throw new IllegalStateException("upstream failed in " + PID);
                            }
                            return "v-" + PID + "-" + id;
                          });
                  say("R " + id + " ok " + v);
                } catch (LoaderFailedException e) {
                  say("R " + id + " error " + e.getMessage());
                } catch (RuntimeException e) {
                  say("R " + id + " other " + e);
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    say("DONE " + id + " calls=" + calls.get() + " notified=" + flight.stats().notified());
  }

  private static void jobs(String[] a) throws Exception {
    String url = a[1];
    int firings = Integer.parseInt(a[3]);
    long period = Long.parseLong(a[4]);
    Duration lease = Duration.ofMillis(Long.parseLong(a[5]));
    Duration hold = Duration.ofMillis(Long.parseLong(a[6]));
    try (LockClient locks = locks(url, Duration.ofSeconds(2));
        ExclusiveJobs jobs = ExclusiveJobs.builder(locks).namespace(a[2]).build()) {
      locks.ping();
      // Warm the whole path (classes, JIT, pooled connections, script cache) on a private job, so
      // the first real firing is not late by a cold start: lateness beyond the hold would let a
      // second scheduler run the same firing.
      for (int w = 0; w < 50; w++) {
        jobs.run("warmup-" + PID, lease, Duration.ZERO, () -> {});
      }
      say("READY " + PID);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      long startAt = Long.parseLong(in.readLine().split(" ")[1]);
      for (int i = 0; i < firings; i++) {
        parkUntil(startAt + i * period);
        JobOutcome o = jobs.run("report", lease, hold, () -> {});
        say(
            "F "
                + i
                + " "
                + o.status()
                + " "
                + o.holder().map(h -> Long.toString(h.pid())).orElse("-"));
      }
      say("DONE");
    }
  }

  private static void longJob(String[] a) throws Exception {
    Duration lease = Duration.ofMillis(Long.parseLong(a[3]));
    try (LockClient locks = locks(a[1], Duration.ofSeconds(2));
        ExclusiveJobs jobs = ExclusiveJobs.builder(locks).namespace(a[2]).build()) {
      locks.ping();
      say("READY " + PID);
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      CountDownLatch never = new CountDownLatch(1);
      JobOutcome o =
          jobs.run(
              "report",
              lease,
              () -> {
                say("STARTED");
                never.await();
              });
      say("UNEXPECTED " + o);
    }
  }

  private static void parkUntil(long epochMillis) {
    long left;
    while ((left = epochMillis - System.currentTimeMillis()) > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
    }
  }
}
