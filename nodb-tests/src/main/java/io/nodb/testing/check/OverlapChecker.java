package io.nodb.testing.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks mutual exclusion after the fact: among the valid holds of one key, no two intervals
 * intersect, and fences increase in the order the holds entered.
 *
 * <p>Fences may legitimately start again after the lock backend lost its fence counters (a Redis
 * restart without persistence, when nothing lifts them); pass the moments of such resets as {@code
 * fenceEpochs} and fences are compared only within one epoch. Intervals are always compared across
 * epochs.
 *
 * <p>Invalid holds (the holder's release found the lock no longer its own) are left out: a holder
 * paused past its lease is expected to overlap its successor, and that is what fencing is for. Use
 * {@link #checkAll} to see such overlaps, e.g. to prove a fault really happened.
 *
 * <p>Stateless and thread-safe.
 */
public final class OverlapChecker {

  private OverlapChecker() {}

  /**
   * Checks the valid holds.
   *
   * @param holds the merged records of every holder
   * @param fenceEpochs monotonic instants at which fence counters were reset (may be empty)
   * @return the report; {@code checked} counts the valid holds
   */
  public static CheckReport check(Collection<HoldRecord> holds, long... fenceEpochs) {
    return run(holds.stream().filter(HoldRecord::valid).toList(), fenceEpochs);
  }

  /**
   * Checks every hold, valid or not.
   *
   * @param holds the merged records
   * @param fenceEpochs monotonic instants at which fence counters were reset (may be empty)
   * @return the report
   */
  public static CheckReport checkAll(Collection<HoldRecord> holds, long... fenceEpochs) {
    return run(List.copyOf(holds), fenceEpochs);
  }

  private static CheckReport run(List<HoldRecord> holds, long[] fenceEpochs) {
    List<String> violations = new ArrayList<>();
    Map<String, List<HoldRecord>> byKey =
        holds.stream().collect(Collectors.groupingBy(HoldRecord::key, TreeMap::new, toList()));
    for (List<HoldRecord> list : byKey.values()) {
      list.sort(Comparator.comparingLong(HoldRecord::enterNanos));
      HoldRecord latest = null; // the hold that exits last among those seen
      HoldRecord previous = null;
      for (HoldRecord h : list) {
        if (latest != null && h.enterNanos() < latest.exitNanos()) {
          violations.add(
              "overlap on "
                  + h.key()
                  + ": "
                  + describe(latest)
                  + " still held when "
                  + describe(h)
                  + " entered ("
                  + (latest.exitNanos() - h.enterNanos()) / 1000
                  + " us)");
        }
        if (previous != null
            && epoch(previous.enterNanos(), fenceEpochs) == epoch(h.enterNanos(), fenceEpochs)
            && h.fence() <= previous.fence()) {
          violations.add(
              "fence order on "
                  + h.key()
                  + ": "
                  + describe(h)
                  + " entered after "
                  + describe(previous)
                  + " with a fence that is not greater");
        }
        if (latest == null || h.exitNanos() > latest.exitNanos()) {
          latest = h;
        }
        previous = h;
      }
    }
    return new CheckReport(
        "no two valid holds of one key intersect; fences increase in enter order",
        holds.size(),
        violations);
  }

  private static int epoch(long nanos, long[] epochs) {
    int e = 0;
    for (long boundary : epochs) {
      if (nanos - boundary >= 0) {
        e++;
      }
    }
    return e;
  }

  private static String describe(HoldRecord h) {
    return "pid " + h.pid() + " " + h.thread() + " fence " + h.fence();
  }

  private static java.util.stream.Collector<HoldRecord, ?, List<HoldRecord>> toList() {
    return Collectors.toCollection(ArrayList::new);
  }
}
