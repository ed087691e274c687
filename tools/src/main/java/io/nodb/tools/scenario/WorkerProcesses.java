package io.nodb.tools.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ScenarioWorker} JVMs on this JVM's classpath and merges what they did into a {@link
 * Recorder}. A cross-process start gate: every worker prints {@code ready} once its threads wait at
 * their gate, and only when all are ready does each get {@code go} on stdin. Workers print {@code
 * done} per operation (for progress) and finally {@code result <json>} ({@link
 * ScenarioWorker.Result}). Stderr is inherited. Every wait is bounded; workers are killed (by their
 * own process handle) on failure. Not thread-safe; one use per scenario.
 *
 * <p>The Redis URL (which may carry a password) reaches workers only through their environment
 * ({@value #URL_VARIABLE}, readable by the owner alone), never on their command line, which every
 * local user can read with {@code ps}.
 */
final class WorkerProcesses {

  /** The environment variable that carries the Redis URL to a worker. */
  static final String URL_VARIABLE = "NODB_REDIS_URL";

  /** The backend argument that tells a worker to read the URL from {@value #URL_VARIABLE}. */
  static final String REDIS_ARG = "redis";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private WorkerProcesses() {}

  /** Returns the command that starts a JVM running {@code mainClass} on this classpath. */
  static List<String> javaCommand(Class<?> mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx192m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    return cmd;
  }

  /**
   * Returns the process builder of one worker: {@link #javaCommand} plus {@code args} on the
   * command line, and the Redis URL in the environment ({@value #URL_VARIABLE}; removed for the
   * local backend so a worker never picks up a URL of its parent's). Stderr is inherited.
   *
   * @param args the worker's arguments (with {@link #REDIS_ARG}, never a URL)
   * @param redisUrl the Redis URL, or null for the local backend
   * @return the builder, not started
   * @throws IllegalArgumentException if an argument looks like a Redis URL
   */
  static ProcessBuilder builder(List<String> args, String redisUrl) {
    for (String a : args) {
      if (a.contains("redis://") || a.contains("rediss://")) {
        throw new IllegalArgumentException(
            "a Redis URL must not go on a worker's command line; it goes in " + URL_VARIABLE);
      }
    }
    List<String> cmd = javaCommand(ScenarioWorker.class);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = pb.environment();
    if (redisUrl == null) {
      env.remove(URL_VARIABLE);
    } else {
      env.put(URL_VARIABLE, redisUrl);
    }
    return pb;
  }

  /**
   * Starts one worker per argument list, opens the start gate when all are ready, and merges their
   * results into {@code rec}.
   *
   * @param argsPerWorker the arguments of each worker
   * @param redisUrl the Redis URL, or null for the local backend (goes in the environment)
   * @param rec where to merge holds and outcomes; told of each {@code done}
   * @throws IOException if a worker cannot be started or fails
   * @throws InterruptedException if interrupted while waiting
   */
  static void run(List<List<String>> argsPerWorker, String redisUrl, Recorder rec)
      throws IOException, InterruptedException {
    List<Process> procs = new ArrayList<>();
    List<CompletableFuture<ScenarioWorker.Result>> results = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(argsPerWorker.size());
    try {
      for (List<String> args : argsPerWorker) {
        Process p = builder(args, redisUrl).start();
        procs.add(p);
        CompletableFuture<ScenarioWorker.Result> result = new CompletableFuture<>();
        results.add(result);
        Thread reader = new Thread(() -> read(p, ready, rec, result), "worker-" + p.pid());
        reader.setDaemon(true);
        reader.start();
      }
      if (!ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("worker JVMs were not ready within " + START_TIMEOUT);
      }
      for (Process p : procs) {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
      }
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      for (int i = 0; i < procs.size(); i++) {
        Process p = procs.get(i);
        long left = deadline - System.nanoTime();
        if (!p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          throw new IOException("worker " + p.pid() + " did not finish within " + RUN_TIMEOUT);
        }
        if (p.exitValue() != 0) {
          throw new IOException("worker " + p.pid() + " exited with " + p.exitValue());
        }
        ScenarioWorker.Result r = results.get(i).getNow(null);
        if (r == null) {
          r = awaitResult(results.get(i), p);
        }
        rec.merge(r.holds(), r.outcomes());
      }
    } finally {
      for (Process p : procs) {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static ScenarioWorker.Result awaitResult(
      CompletableFuture<ScenarioWorker.Result> f, Process p) throws IOException {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("worker " + p.pid() + " printed no result", e);
    }
  }

  private static void read(
      Process p,
      CountDownLatch ready,
      Recorder rec,
      CompletableFuture<ScenarioWorker.Result> result) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.equals("ready")) {
          ready.countDown();
        } else if (line.equals("done")) {
          rec.tick();
        } else if (line.startsWith("result ")) {
          result.complete(JSON.readValue(line.substring(7), ScenarioWorker.Result.class));
        }
      }
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(e);
    }
  }
}
