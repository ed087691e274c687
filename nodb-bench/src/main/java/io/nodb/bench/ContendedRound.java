package io.nodb.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The analysis of one contended round: throughput, hand-off gaps, waits and fairness, computed from
 * merged {@link HoldTrace}s. Immutable.
 *
 * @param threads contending threads
 * @param acquisitions acquisitions in the round
 * @param seconds from the first acquire start to the last exit
 * @param handoffsPerSec acquisitions per second
 * @param gapP50Nanos median time from one holder's exit to the next holder's entry
 * @param gapP99Nanos 99th percentile of that gap
 * @param waitP50Nanos median time from the start of acquire to entry
 * @param waitP99Nanos 99th percentile of that wait
 * @param minSharePct the smallest share of acquisitions of one thread, in percent
 * @param maxSharePct the largest share of acquisitions of one thread, in percent
 */
record ContendedRound(
    int threads,
    int acquisitions,
    double seconds,
    double handoffsPerSec,
    long gapP50Nanos,
    long gapP99Nanos,
    long waitP50Nanos,
    long waitP99Nanos,
    double minSharePct,
    double maxSharePct) {

  private record Hold(long enter, long exit, String thread) {}

  /**
   * Analyzes the traces of one round and checks from the timestamps that no two holds overlapped.
   *
   * @param traces every thread's trace (of one or several JVMs on this host)
   * @return the round
   * @throws MutualExclusionViolation if two holds overlapped in time
   */
  static ContendedRound of(List<HoldTrace> traces) {
    List<Hold> holds = new ArrayList<>();
    Samples waits = new Samples(8192);
    long first = Long.MAX_VALUE;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (HoldTrace t : traces) {
      for (int i = 0; i < t.size(); i++) {
        holds.add(new Hold(t.enter(i), t.exit(i), t.thread()));
        waits.add(t.enter(i) - t.start(i));
        first = Math.min(first, t.start(i));
      }
      min = Math.min(min, t.size());
      max = Math.max(max, t.size());
    }
    if (holds.size() < 2) {
      throw new IllegalStateException("too few acquisitions to analyze: " + holds.size());
    }
    holds.sort((a, b) -> Long.compare(a.enter, b.enter));
    Samples gaps = new Samples(holds.size());
    long lastExit = Long.MIN_VALUE;
    for (int i = 1; i < holds.size(); i++) {
      Hold prev = holds.get(i - 1);
      Hold next = holds.get(i);
      if (next.enter < prev.exit) {
        throw new MutualExclusionViolation(
            String.format(
                "%s entered %d ns before %s left: the lock let two holders in",
                next.thread, prev.exit - next.enter, prev.thread));
      }
      gaps.add(next.enter - prev.exit);
    }
    for (Hold h : holds) {
      lastExit = Math.max(lastExit, h.exit);
    }
    long[] g = gaps.sorted();
    long[] w = waits.sorted();
    int n = holds.size();
    double seconds = (lastExit - first) / 1e9;
    return new ContendedRound(
        traces.size(),
        n,
        seconds,
        n / seconds,
        Samples.percentile(g, 0.50),
        Samples.percentile(g, 0.99),
        Samples.percentile(w, 0.50),
        Samples.percentile(w, 0.99),
        100.0 * min / n,
        100.0 * max / n);
  }
}
