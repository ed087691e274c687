package io.nodb.bench;

import java.util.List;

/**
 * The single-threaded result of one operation: per round, p50 and p99 per-op latency and ops/s;
 * summarized by the median over rounds. Immutable.
 *
 * @param label the operation
 * @param rounds one entry per timed round
 */
record PairResult(String label, List<Round> rounds) {

  /**
   * One timed round.
   *
   * @param ops operations timed
   * @param p50Nanos median per-op latency
   * @param p99Nanos 99th percentile per-op latency
   * @param opsPerSec operations divided by the round's wall time
   * @param serverMicrosPerOp Redis command time per operation (INFO commandstats)
   * @param cpuMicrosPerOp CPU time of the benchmark JVM (all threads) per operation
   */
  record Round(
      int ops,
      long p50Nanos,
      long p99Nanos,
      double opsPerSec,
      double serverMicrosPerOp,
      double cpuMicrosPerOp) {}

  PairResult {
    rounds = List.copyOf(rounds);
  }

  double medianP50Nanos() {
    return Samples.median(rounds.stream().mapToDouble(Round::p50Nanos).toArray());
  }

  double medianP99Nanos() {
    return Samples.median(rounds.stream().mapToDouble(Round::p99Nanos).toArray());
  }

  double medianServerMicrosPerOp() {
    return Samples.median(rounds.stream().mapToDouble(Round::serverMicrosPerOp).toArray());
  }

  double medianCpuMicrosPerOp() {
    return Samples.median(rounds.stream().mapToDouble(Round::cpuMicrosPerOp).toArray());
  }

  double medianOpsPerSec() {
    return Samples.median(rounds.stream().mapToDouble(Round::opsPerSec).toArray());
  }
}
