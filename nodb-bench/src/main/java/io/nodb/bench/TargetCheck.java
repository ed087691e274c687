package io.nodb.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One target of the issue, as a ratio computed from one run, and whether it is met. Immutable.
 *
 * @param target what the issue asks, e.g. {@code nodb pair p50 <= 2.2 x PING p50}
 * @param ratio the measured ratio
 * @param limit the bound
 * @param atMost whether the ratio must be at most (true) or at least (false) the limit
 */
record TargetCheck(String target, double ratio, double limit, boolean atMost) {

  boolean met() {
    return atMost ? ratio <= limit : ratio >= limit;
  }

  /**
   * Evaluates the targets from the medians over rounds.
   *
   * @param ping the PING result
   * @param nodbPair the nodb pair result
   * @param redissonPair the Redisson pair result
   * @param contended pairs of (nodb, Redisson) contended results, one pair per scenario
   * @return the checks, in the order
   */
  static List<TargetCheck> evaluate(
      PairResult ping,
      PairResult nodbPair,
      PairResult redissonPair,
      List<List<ContendedResult>> contended) {
    List<TargetCheck> out = new ArrayList<>();
    out.add(
        new TargetCheck(
            "nodb pair p50 ≤ 2.2 × PING p50",
            nodbPair.medianP50Nanos() / ping.medianP50Nanos(),
            2.2,
            true));
    out.add(
        new TargetCheck(
            "nodb pair ops/s ≥ 3 × Redisson pair ops/s",
            nodbPair.medianOpsPerSec() / redissonPair.medianOpsPerSec(),
            3.0,
            false));
    for (List<ContendedResult> scenario : contended) {
      ContendedResult nodb = scenario.get(0);
      ContendedResult redisson = scenario.get(1);
      String where = nodb.label().substring(nodb.label().indexOf(',') + 2);
      out.add(
          new TargetCheck(
              "contended hand-offs/s ≥ 1.5 × Redisson (" + where + ")",
              nodb.median(ContendedRound::handoffsPerSec)
                  / redisson.median(ContendedRound::handoffsPerSec),
              1.5,
              false));
      out.add(
          new TargetCheck(
              "contended wait p99 ≤ 0.5 × Redisson (" + where + ")",
              nodb.median(ContendedRound::waitP99Nanos)
                  / redisson.median(ContendedRound::waitP99Nanos),
              0.5,
              true));
    }
    return out;
  }
}
