package io.nodb.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The rounds of one contended scenario for one lock, summarized by medians over rounds. Immutable.
 *
 * @param label the lock and scenario, e.g. {@code nodb, 8 threads}
 * @param rounds the timed rounds
 * @param exclusionCheck how mutual exclusion was verified, for the report
 */
record ContendedResult(String label, List<ContendedRound> rounds, String exclusionCheck) {

  ContendedResult {
    rounds = List.copyOf(rounds);
  }

  double median(ToDoubleFunction<ContendedRound> metric) {
    return Samples.median(rounds.stream().mapToDouble(metric).toArray());
  }
}
