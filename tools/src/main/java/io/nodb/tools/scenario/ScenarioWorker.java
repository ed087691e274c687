package io.nodb.tools.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.workers.WorkerArgs;
import io.nodb.testing.workers.WorkerJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The worker JVM of the scenarios, started by {@code nodb scenario} itself (not by users):
 *
 * <ul>
 *   <li>{@code herd|rapid <run-dir> <backend> <threads> <requests> <hold-ms> <lease-ms>}: prints
 *       {@code ready} when its threads wait at their start gate, waits for {@code go} on stdin,
 *       runs the thundering herd or the profile playback on the run's real controllers, prints
 *       {@code done} per operation and finally {@code result <json>}.
 *   <li>{@code orphan <run-dir> <backend> <name>:<lease-ms>...}: takes each lock with that lease
 *       (no renewal), prints {@code held <pid>}, and halts without releasing: orphaned locks whose
 *       holder process is gone while their lease lives on.
 * </ul>
 *
 * The backend argument is {@code -} for the local backend or the Redis URL, which the kit's {@link
 * WorkerJvm} never puts on the command line (where every local user could read its password): it
 * becomes {@code env:NODB_WORKER_REDIS_URL} there and the URL goes in that environment variable.
 * Exits 0 on success, 1 on failure (with a message on stderr, which is in the worker's log).
 *
 * <p>The parent side is {@link #start} and {@link #runAll}: a cross-process start gate (every
 * worker prints {@code ready} once its threads wait at their gate; only when all are ready does
 * each get {@code go} on stdin), {@code done} per operation for progress, and a final {@code result
 * <json>} ({@link Result}) merged into the parent's recorder.
 */
public final class ScenarioWorker {

  /**
   * What a worker did, printed as one JSON line.
   *
   * @param holds its committed critical sections, each as {@link HoldRecord#toLine()}
   * @param waits the lock wait of each, in nanoseconds, in the same order
   * @param outcomes its count per outcome
   */
  public record Result(List<String> holds, List<Long> waits, Map<String, Long> outcomes) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private ScenarioWorker() {}

  /**
   * Starts one worker JVM on this JVM's class path (a small serial-GC heap, C1 only).
   *
   * @param logDir where its output goes
   * @param args its arguments (a Redis URL among them goes in its environment)
   * @param onLine told of each line it prints
   * @return the running worker
   * @throws IOException if it cannot be started
   */
  static WorkerJvm start(Path logDir, List<String> args, Consumer<String> onLine)
      throws IOException {
    return WorkerJvm.start(
        ScenarioWorker.class, logDir, List.of("-XX:+UseSerialGC", "-Xmx192m"), onLine, args);
  }

  /**
   * Starts one worker per argument list, opens the start gate when all are ready, waits for them
   * and merges their results into {@code rec}. Every wait is bounded; workers are killed (by their
   * own PID) on failure.
   *
   * @param argsPerWorker the arguments of each worker
   * @param rec where to merge holds, waits and outcomes; told of each {@code done}
   * @throws IOException if a worker cannot be started or fails (with its output)
   * @throws InterruptedException if interrupted while waiting
   */
  static void runAll(List<List<String>> argsPerWorker, Recorder rec)
      throws IOException, InterruptedException {
    Path logs = Files.createTempDirectory("nodb-scenario-workers-");
    List<WorkerJvm> workers = new ArrayList<>();
    List<CompletableFuture<Result>> results = new ArrayList<>();
    try {
      for (List<String> args : argsPerWorker) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        results.add(result);
        workers.add(
            start(
                logs,
                args,
                line -> {
                  if (line.equals("done")) {
                    rec.tick();
                  } else if (line.startsWith("result ")) {
                    result.complete(parse(line.substring(7)));
                  }
                }));
      }
      long readyBy = System.nanoTime() + START_TIMEOUT.toNanos();
      for (WorkerJvm w : workers) {
        try {
          w.awaitLine("ready", Duration.ofNanos(Math.max(0, readyBy - System.nanoTime())));
        } catch (IllegalStateException e) { // ends at once when the worker exits instead
          throw new IOException("worker JVMs were not ready:\n" + outputs(workers), e);
        }
      }
      for (WorkerJvm w : workers) {
        w.send("go");
      }
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      for (int i = 0; i < workers.size(); i++) {
        WorkerJvm w = workers.get(i);
        int exit;
        try {
          exit = w.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (IllegalStateException late) {
          throw new IOException(
              "worker " + w.pid() + " did not finish within " + RUN_TIMEOUT, late);
        }
        Result r = results.get(i).getNow(null);
        if (exit != 0 || r == null || w.outputFailure().isPresent()) {
          throw new IOException(
              "worker "
                  + w.pid()
                  + (exit != 0 ? " exited with " + exit : " printed no result")
                  + w.outputFailure().map(e -> " (" + e + ")").orElse("")
                  + ":\n"
                  + w.output());
        }
        rec.merge(r.holds().stream().map(HoldRecord::parse).toList(), r.waits(), r.outcomes());
      }
    } finally {
      workers.forEach(WorkerJvm::close);
      Scenarios.deleteTree(logs);
    }
  }

  private static Result parse(String json) {
    try {
      return JSON.readValue(json, Result.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a worker result: " + e.getMessage(), e);
    }
  }

  private static String outputs(List<WorkerJvm> workers) throws IOException {
    StringBuilder b = new StringBuilder();
    for (WorkerJvm w : workers) {
      b.append("worker ").append(w.pid()).append(":\n").append(w.output());
    }
    return b.toString();
  }

  /**
   * Runs one worker.
   *
   * @param args see the class description
   */
  public static void main(String[] args) {
    PrintStream out = System.out;
    try {
      String mode = args[0];
      Path runDir = Path.of(args[1]).toAbsolutePath().normalize();
      String redisUrl = backend(args[2]);
      if (mode.equals("orphan")) {
        orphan(runDir, redisUrl, List.of(args).subList(3, args.length), out);
        return;
      }
      int threads = Integer.parseInt(args[3]);
      int requests = Integer.parseInt(args[4]);
      Duration hold = Duration.ofMillis(Long.parseLong(args[5]));
      Duration lease = Duration.ofMillis(Long.parseLong(args[6]));
      Recorder rec = new Recorder(() -> out.println("done"));
      List<String> holdLines = new ArrayList<>();
      try (LockClient client = Scenarios.client(redisUrl, runDir.getParent());
          NoDbStore store =
              NoDbStore.builder()
                  .lockClient(client)
                  .lease(lease)
                  .lockWait(Scenarios.LOCK_WAIT)
                  .build()) {
        Runnable gate = () -> awaitGo(out);
        switch (mode) {
          case "herd" -> ThunderingHerd.work(store, runDir, threads, requests, hold, rec, gate);
          case "rapid" -> RapidSequential.work(store, runDir, threads, requests, hold, rec, gate);
          default -> throw new IllegalArgumentException("unknown worker mode " + mode);
        }
      }
      rec.holds().forEach(h -> holdLines.add(h.toLine()));
      out.println(
          "result " + JSON.writeValueAsString(new Result(holdLines, rec.waits(), rec.outcomes())));
      out.flush();
      System.exit(0);
    } catch (Exception e) {
      System.err.println("nodb scenario worker: " + e);
      System.exit(1);
    }
  }

  private static String backend(String arg) {
    if (arg.equals("-")) {
      return null;
    }
    if (!arg.startsWith("env:")) {
      throw new IllegalArgumentException(
          "expected '-' or env:VARIABLE (the Redis URL) as the backend argument");
    }
    String url = WorkerArgs.resolve(arg);
    if (url.isBlank()) {
      throw new IllegalArgumentException(arg.substring(4) + " is empty");
    }
    return url.trim();
  }

  private static void awaitGo(PrintStream out) {
    out.println("ready");
    out.flush();
    try {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))
              .readLine();
      if (!"go".equals(line)) {
        throw new IllegalStateException("expected 'go' on stdin, got " + line);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the start signal", e);
    }
  }

  private static void orphan(Path runDir, String redisUrl, List<String> specs, PrintStream out) {
    LockClient client = Scenarios.client(redisUrl, runDir.getParent());
    String runId = String.valueOf(runDir.getFileName());
    List<Long> fences = new ArrayList<>();
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      Duration lease = Duration.ofMillis(Long.parseLong(spec.substring(colon + 1)));
      LockHandle h =
          client.acquire(
              LockKey.of(runId, spec.substring(0, colon)),
              LockOptions.lease(lease).withoutRenewal(),
              Duration.ofSeconds(10));
      fences.add(h.fence());
    }
    out.println("held " + ProcessHandle.current().pid() + " " + fences);
    out.flush();
    // No release, no shutdown hooks: the process is gone while the leases live on.
    Runtime.getRuntime().halt(0);
  }
}
