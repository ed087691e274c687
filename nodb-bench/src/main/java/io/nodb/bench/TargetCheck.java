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
   * @param jedisPair the raw Jedis token lock pair result (the floor of a correct lock)
   * @param nodbPair the nodb pair result
   * @param contended pairs of (nodb, Redisson) contended results, one pair per scenario
   * @return the checks, in the order
   */
  static List<TargetCheck> evaluate(
      PairResult jedisPair, PairResult nodbPair, List<List<ContendedResult>> contended) {
    List<TargetCheck> out = new ArrayList<>();
    out.add(
        new TargetCheck(
            "nodb pair p50 ≤ 1.1 × raw Jedis token lock p50",
            nodbPair.medianP50Nanos() / jedisPair.medianP50Nanos(),
            1.1,
            true));
    out.add(
        new TargetCheck(
            "nodb pair ops/s ≥ 0.9 × raw Jedis token lock ops/s",
            nodbPair.medianOpsPerSec() / jedisPair.medianOpsPerSec(),
            0.9,
            false));
    for (List<ContendedResult> scenario : contended) {
      ContendedResult nodb = scenario.get(0);
      ContendedResult redisson = scenario.get(1);
      String where = nodb.label().substring(nodb.label().indexOf(',') + 2);
      out.add(
          new TargetCheck(
              "contended hand-offs/s ≥ 2 × Redisson (" + where + ")",
              nodb.median(ContendedRound::handoffsPerSec)
                  / redisson.median(ContendedRound::handoffsPerSec),
              2.0,
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
