package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.store.NoDbStore;
import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.workers.LockWorkloadMain;
import io.nodb.testing.workers.ResourceCounter;
import io.nodb.testing.workers.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-process lock workload ({@link LockWorkloadMain} in N worker JVMs) in one directory: the
 * workers' lock keys {@code res-<k>.nodb} of one run, the naive resource counters they increment,
 * and a {@link Counter} run incremented through the store. Starts them behind a file gate, stops
 * them with a stop file, and collects their hold records and totals. Not thread-safe.
 */
final class Load implements AutoCloseable {

  final Path dir;
  final String run;
  final Path resources;
  final Path counterRun;
  private final Fixture fixture;
  private final List<WorkerJvm> workers = new ArrayList<>();
  private final List<Path> holdFiles = new ArrayList<>();

  Load(Fixture fixture, String prefix) throws IOException {
    this.fixture = fixture;
    this.dir = fixture.newRun(prefix);
    this.run = dir.getFileName().toString();
    this.resources = Files.createDirectories(dir.resolve("resources"));
    this.counterRun = fixture.runsRoot().resolve(run + "-counter");
  }

  /** Starts the workers and opens the gate once all are ready. */
  Load start(
      NoDbStore store,
      int processes,
      int threads,
      long iterations,
      int counterThreads,
      long increments,
      Duration lease)
      throws IOException {
    store.create(Counter.class, counterRun, s -> {});
    Path gate = dir.resolve("gate");
    for (int p = 0; p < processes; p++) {
      Path holds = dir.resolve("holds-" + p + ".txt");
      holdFiles.add(holds);
      workers.add(
          WorkerJvm.start(
              LockWorkloadMain.class,
              dir.resolve("logs"),
              "backend=" + fixture.workerBackend(),
              "runsRoot=" + fixture.runsRoot(),
              "run=" + run,
              "keys=4",
              "threads=" + threads,
              "iterations=" + iterations,
              "stopFile=" + dir.resolve("stop"),
              "resources=" + resources,
              "counterRun=" + counterRun,
              "counterThreads=" + counterThreads,
              "increments=" + increments,
              "lease=" + lease.toMillis(),
              "wait=30000",
              "readTimeout=" + Fixture.READ_TIMEOUT.toMillis(),
              "gate=" + gate,
              "holds=" + holds));
    }
    for (WorkerJvm w : workers) {
      w.awaitLine("ready", Duration.ofMinutes(1));
    }
    Files.createFile(gate);
    return this;
  }

  /** Returns the sum of the workers' latest progress lines (holds so far). */
  long progress() throws IOException {
    long sum = 0;
    for (WorkerJvm w : workers) {
      List<String> p = w.lines("progress ");
      sum += p.isEmpty() ? 0 : Long.parseLong(p.get(p.size() - 1).trim());
    }
    return sum;
  }

  /**
   * Waits (Awaitility, bounded) until the workers made {@code more} holds beyond the progress at
   * the call, and returns how long that took: proof that service resumed.
   */
  Duration awaitProgress(long more, Duration timeout) throws IOException {
    long start = System.nanoTime();
    long target = progress() + more;
    await("progress to " + target)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .pollInSameThread()
        .until(this::progress, p -> p >= target);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Stops the workers (stop file) and collects everything. */
  Result stop(Duration timeout) throws Exception {
    Files.writeString(dir.resolve("stop"), "stop");
    Result r = new Result();
    for (WorkerJvm w : workers) {
      int code = w.await(timeout);
      assertThat(code).as("worker %d exit code; output:%n%s", w.pid(), tail(w)).isZero();
      String done = w.awaitLine("done ", Duration.ofSeconds(1));
      Map<String, Long> totals = new HashMap<>();
      for (String kv : done.trim().split(" ")) {
        String[] p = kv.split("=");
        totals.merge(p[0], Long.parseLong(p[1]), Long::sum);
      }
      totals.forEach((k, v) -> r.totals.merge(k, v, Long::sum));
      r.errors.addAll(w.lines("error "));
      r.overdue.addAll(w.lines("overdue "));
    }
    for (Path f : holdFiles) {
      for (String line : Files.readAllLines(f)) {
        r.holds.add(HoldRecord.parse(line));
      }
    }
    for (int k = 0; k < 4; k++) {
      r.resourceSum += ResourceCounter.read(resources.resolve("res-" + k + ".count"));
    }
    return r;
  }

  private static String tail(WorkerJvm w) throws IOException {
    String out = w.output();
    return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
  }

  @Override
  public void close() {
    workers.forEach(WorkerJvm::close);
  }

  /** What the workers reported. */
  static final class Result {
    final Map<String, Long> totals = new HashMap<>();
    final List<HoldRecord> holds = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<String> overdue = new ArrayList<>();
    long resourceSum;

    long total(String name) {
      return totals.getOrDefault(name, 0L);
    }

    List<String> untypedErrors() {
      return errors.stream().filter(e -> e.startsWith("untyped")).toList();
    }
  }
}
