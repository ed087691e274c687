package io.nodb.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times single-threaded operations: a warm-up of each, then rounds in which every operation runs a
 * fixed number of times in turn (rounds are interleaved so drift of the machine hits every
 * contender alike), recording {@link System#nanoTime()} per operation.
 *
 * <p>Not thread-safe; runs on the calling thread.
 */
final class PairBenchmark {

  private final CostProbe probe;
  private final int warmupOps;
  private final int rounds;
  private final int opsPerRound;

  PairBenchmark(CostProbe probe, int warmupOps, int rounds, int opsPerRound) {
    this.probe = probe;
    this.warmupOps = warmupOps;
    this.rounds = rounds;
    this.opsPerRound = opsPerRound;
  }

  /**
   * Runs the benchmark.
   *
   * @param ops the operations, in table order
   * @return one result per operation, in the same order
   */
  List<PairResult> run(List<PairOp> ops) {
    for (PairOp op : ops) {
      for (int i = 0; i < warmupOps; i++) {
        op.run();
      }
      Progress.say("warmed up " + op.label());
    }
    List<List<PairResult.Round>> perOp = new ArrayList<>();
    ops.forEach(op -> perOp.add(new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < ops.size(); i++) {
        PairResult.Round round = timeRound(ops.get(i));
        perOp.get(i).add(round);
        Progress.say(
            String.format(
                "round %d %-36s p50 %7.1f us  p99 %7.1f us  %8.0f ops/s",
                r + 1,
                ops.get(i).label(),
                round.p50Nanos() / 1e3,
                round.p99Nanos() / 1e3,
                round.opsPerSec()));
      }
    }
    List<PairResult> results = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      results.add(new PairResult(ops.get(i).label(), perOp.get(i)));
    }
    return results;
  }

  private PairResult.Round timeRound(PairOp op) {
    long[] lat = new long[opsPerRound];
    CostProbe.Reading before = probe.read();
    long start = System.nanoTime();
    long prev = start;
    for (int i = 0; i < opsPerRound; i++) {
      op.run();
      long now = System.nanoTime();
      lat[i] = now - prev;
      prev = now;
    }
    CostProbe.Reading after = probe.read();
    double seconds = (prev - start) / 1e9;
    java.util.Arrays.sort(lat);
    return new PairResult.Round(
        opsPerRound,
        Samples.percentile(lat, 0.50),
        Samples.percentile(lat, 0.99),
        opsPerRound / seconds,
        (after.serverMicros() - before.serverMicros()) / (double) opsPerRound,
        (after.cpuNanos() - before.cpuNanos()) / 1e3 / opsPerRound);
  }
}
