package io.nodb.bench;

import io.nodb.lock.LockKey;
import io.nodb.testing.redis.OwnedRedis;
import io.nodb.testing.redis.RedisServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lock} benchmark end to end: Redis (private or given), the single-threaded pairs, 8
 * threads in one JVM, 4 JVMs × 2 threads, the targets and the report.
 *
 * <p>Not thread-safe; run once.
 */
final class LockBenchmark {

  private static final int THREADS = 8;
  private static final int JVMS = 4;
  private static final int THREADS_PER_JVM = 2;

  private final BenchOptions options;

  LockBenchmark(BenchOptions options) {
    this.options = options;
  }

  /**
   * Runs everything and writes the report.
   *
   * @return the Markdown report
   * @throws MutualExclusionViolation if a lock let two holders in
   */
  String run() throws IOException, InterruptedException {
    if (options.redisUrl() != null) {
      return runAgainst(options.redisUrl());
    }
    try (OwnedRedis server = RedisServers.launch()) {
      Progress.say("started redis-server pid " + server.pid() + " at " + server.url());
      return runAgainst(server.url());
    }
  }

  private String runAgainst(String url) throws IOException, InterruptedException {
    Environment env = Environment.detect();
    String loadBefore = Environment.loadAverage();
    long[] cpuBefore = Environment.cpuTicks();
    List<PairOp> ops = new ArrayList<>();
    List<PairResult> pairs;
    try (CostProbe probe = new CostProbe(url)) {
      ops.add(new PingOp(url));
      ops.add(new JedisPairOp(url, "bench:pair:jedis"));
      ops.add(new NodbPairOp(url, LockKey.of("bench-pair", "nodb.lock")));
      ops.add(new RedissonPairOp(url, "bench:pair:redisson"));
      ops.add(new DoublePingOp(url, false));
      ops.add(new DoublePingOp(url, true));
      ops.add(new NodbScriptsOp(url, "bench-diag", "scripts.lock"));
      pairs =
          new PairBenchmark(probe, options.warmupOps(), options.pairRounds(), options.opsPerRound())
              .run(ops);
    } finally {
      ops.forEach(PairOp::close);
    }

    List<ContendedLock> locks = new ArrayList<>();
    List<ContendedResult> inJvm;
    try {
      locks.add(new NodbContendedLock(url, LockKey.of("bench-contended", "shared.nodb")));
      locks.add(new RedissonContendedLock(url, "bench:redisson:contended"));
      inJvm =
          new ContendedBenchmark(
                  THREADS,
                  options.contendedRounds(),
                  options.contendedWarmupMillis() * 1_000_000L,
                  options.contendedRoundMillis() * 1_000_000L)
              .run(locks);
    } finally {
      locks.forEach(ContendedLock::close);
    }

    List<ContendedResult> multi =
        new MultiJvmBenchmark(
                url,
                JVMS,
                THREADS_PER_JVM,
                options.contendedRounds(),
                options.multiJvmWarmupMillis(),
                options.contendedRoundMillis())
            .run(List.of("nodb", "redisson"));

    List<ContendedResult> contended = new ArrayList<>(inJvm);
    contended.addAll(multi);
    List<TargetCheck> targets =
        TargetCheck.evaluate(pairs.get(1), pairs.get(2), List.of(inJvm, multi));
    String md =
        Report.render(
            env,
            settings(),
            "at start "
                + loadBefore
                + ", at end "
                + Environment.loadAverage()
                + "; "
                + Environment.describeTicks(cpuBefore, Environment.cpuTicks()),
            "java -jar nodb-bench/target/nodb-bench.jar " + String.join(" ", options.args()),
            pairs,
            contended,
            targets);
    Files.createDirectories(options.outDir());
    Path file =
        options
            .outDir()
            .resolve(LocalDate.now() + "-lock" + (options.quick() ? "-quick" : "") + ".md");
    Files.writeString(file, md, StandardCharsets.UTF_8);
    Progress.say("wrote " + file);
    return md;
  }

  private String settings() {
    return String.format(
        "single-threaded: %d warm-up ops each, then %d interleaved rounds × %d ops, per-op"
            + " nanoTime; contended: %d threads in 1 JVM and %d JVMs × %d threads, one key per"
            + " lock, 1 ms LockSupport.parkNanos outside the lock, %d ms (multi-JVM: %d ms) discarded"
            + " warm-up round, then %d interleaved rounds × %d ms%s",
        options.warmupOps(),
        options.pairRounds(),
        options.opsPerRound(),
        THREADS,
        JVMS,
        THREADS_PER_JVM,
        options.contendedWarmupMillis(),
        options.multiJvmWarmupMillis(),
        options.contendedRounds(),
        options.contendedRoundMillis(),
        options.redisUrl() == null ? "; private redis-server on a free 127.0.0.1 port" : "");
  }
}
