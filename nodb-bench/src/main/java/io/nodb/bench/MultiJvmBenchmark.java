package io.nodb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;

/**
 * Contention across JVMs: per lock, several {@link ContendWorker} child JVMs with a few threads
 * each on one shared key. All workers are started up front; then a discarded warm-up round and the
 * timed rounds run, interleaved between the locks, each from a common wall-clock start.
 *
 * <p>Mutual exclusion is checked three ways per round: the Redis counter that workers bump with a
 * non-atomic GET + SET must equal the total acquisitions; each worker saw at most one thread inside
 * and its own counter matches; and no two holds of any JVM overlap in time ({@code nanoTime} is
 * host-wide on Linux).
 *
 * <p>Not thread-safe; runs on the calling thread.
 */
final class MultiJvmBenchmark {

  private static final long START_DELAY_MILLIS = 500;

  private final String url;
  private final int jvms;
  private final int threadsPerJvm;
  private final int rounds;
  private final long warmupMillis;
  private final long roundMillis;

  MultiJvmBenchmark(
      String url, int jvms, int threadsPerJvm, int rounds, long warmupMillis, long roundMillis) {
    this.url = url;
    this.jvms = jvms;
    this.threadsPerJvm = threadsPerJvm;
    this.rounds = rounds;
    this.warmupMillis = warmupMillis;
    this.roundMillis = roundMillis;
  }

  /** Returns the shared-key lock of the given kind ({@code nodb} or {@code redisson}). */
  static ContendedLock sharedLock(String kind, String url) {
    return switch (kind) {
      case "nodb" -> new NodbContendedLock(url, ContendWorker.nodbKey());
      case "redisson" -> new RedissonContendedLock(url, "bench:redisson:multi-jvm");
      default -> throw new IllegalArgumentException("unknown lock kind " + kind);
    };
  }

  /**
   * Runs the scenario for each lock kind.
   *
   * @param kinds {@code nodb} and/or {@code redisson}, in table order
   * @return one result per kind
   * @throws MutualExclusionViolation if any check fails
   */
  List<ContendedResult> run(List<String> kinds) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("nodb-bench-traces");
    Map<String, List<WorkerProcess>> workers = new LinkedHashMap<>();
    Map<String, List<ContendedRound>> results = new LinkedHashMap<>();
    try (RedisClient redis = Clients.jedis(url)) {
      for (String kind : kinds) {
        List<WorkerProcess> list = new ArrayList<>();
        workers.put(kind, list);
        results.put(kind, new ArrayList<>());
        for (int j = 0; j < jvms; j++) {
          List<String> args =
              List.of(
                  kind, url, Integer.toString(j), Integer.toString(threadsPerJvm), counter(kind));
          list.add(WorkerProcess.start(args, kind + "-jvm" + j));
        }
      }
      for (Map.Entry<String, List<WorkerProcess>> e : workers.entrySet()) {
        for (WorkerProcess w : e.getValue()) {
          w.expect("READY");
        }
      }
      for (int r = 0; r <= rounds; r++) {
        for (String kind : kinds) {
          long millis = r == 0 ? warmupMillis : roundMillis;
          ContendedRound round = runRound(redis, kind, workers.get(kind), millis, dir);
          if (r == 0) {
            Progress.say("warmed up " + kind + ", " + jvms + " JVMs x " + threadsPerJvm);
          } else {
            results.get(kind).add(round);
            Progress.say("round " + r + " " + kind + " multi-JVM: " + Report.brief(round));
          }
        }
      }
    } finally {
      workers.values().forEach(list -> list.forEach(WorkerProcess::close));
      try (var files = Files.list(dir)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(dir);
    }
    List<ContendedResult> out = new ArrayList<>();
    for (String kind : kinds) {
      out.add(
          new ContendedResult(
              (kind.equals("nodb") ? "nodb" : "Redisson")
                  + ", "
                  + jvms
                  + " JVMs x "
                  + threadsPerJvm
                  + " threads",
              results.get(kind),
              "Redis GET+SET counter == acquisitions, at most 1 thread inside per JVM, no"
                  + " overlapping enter/exit timestamps across JVMs"));
    }
    return out;
  }

  private ContendedRound runRound(
      RedisClient redis, String kind, List<WorkerProcess> list, long millis, Path dir)
      throws IOException {
    redis.set(counter(kind), "0");
    long start = System.currentTimeMillis() + START_DELAY_MILLIS;
    for (int j = 0; j < list.size(); j++) {
      list.get(j).send("GO " + start + " " + millis + " " + dir.resolve(kind + "-" + j + ".txt"));
    }
    List<HoldTrace> traces = new ArrayList<>();
    long acquisitions = 0;
    for (int j = 0; j < list.size(); j++) {
      List<String> done = list.get(j).expect("DONE");
      long acq = Long.parseLong(done.get(0));
      long localCounter = Long.parseLong(done.get(1));
      int maxInside = Integer.parseInt(done.get(2));
      if (localCounter != acq || maxInside != 1) {
        throw new MutualExclusionViolation(
            String.format(
                "%s jvm%d: counter %d for %d acquisitions, %d threads inside at once",
                kind, j, localCounter, acq, maxInside));
      }
      acquisitions += acq;
      traces.addAll(TraceFile.read(dir.resolve(kind + "-" + j + ".txt")));
    }
    long shared = Long.parseLong(redis.get(counter(kind)));
    if (shared != acquisitions) {
      throw new MutualExclusionViolation(
          String.format(
              "%s: Redis GET+SET counter is %d after %d acquisitions (lost updates)",
              kind, shared, acquisitions));
    }
    return ContendedRound.of(traces);
  }

  private static String counter(String kind) {
    return "bench:multi-jvm:counter:" + kind;
  }
}
