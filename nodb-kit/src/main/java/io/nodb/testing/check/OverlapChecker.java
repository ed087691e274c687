package io.nodb.testing.check;

import io.nodb.lock.ReleaseOutcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Checks mutual exclusion after the fact: among the holds of one key, no two validity windows
 * intersect, and fences increase in the order the windows start.
 *
 * <p>Every hold is checked, whatever its release reported. A {@link ReleaseOutcome#RELEASED} hold's
 * window is its whole body. A hold whose release said {@code ALREADY_EXPIRED}, {@code NOT_OWNER} or
 * {@code BACKEND_ERROR} may have lost the lock silently; its window ends at the last validity
 * deadline its holder saw ({@link HoldRecord#validToNanos()}), because up to then the holder acted
 * as owner, and a successor inside that interval is a real violation. What it did after its lease
 * lapsed is expected to overlap a successor (that is what fencing is for) and is not reported; a
 * hold whose lease lapsed before its body started has no window and is only counted. Use {@link
 * #checkAll} to compare whole bodies instead, e.g. to prove a fault really happened.
 *
 * <p>Fences may legitimately start again after the lock backend lost its fence counters (a Redis
 * restart without persistence, when nothing lifts them); pass the moments of such resets as {@code
 * fenceEpochs} and fences are compared only within one epoch. Windows are always compared across
 * epochs. The backend's reset also took its locks: a hold that was not {@code RELEASED} and whose
 * body spans a reset is taken as valid up to the reset only (a documented limit of a backend
 * without persistence, which the lost-update checks still watch).
 *
 * <p>The report's {@linkplain CheckReport#counts() counts} give the holds per release outcome
 * (every {@link ReleaseOutcome} name, zeros included) and {@code withoutWindow}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OverlapChecker {

  /** The count of holds that never believed themselves valid in their body. */
  public static final String WITHOUT_WINDOW = "withoutWindow";

  /**
   * How a violation line about a hold entering while another held its key begins (count them with
   * {@link CheckReport#violations(String)}).
   */
  public static final String OVERLAP = "overlap on ";

  /** How a violation line about a fence not above its predecessor's begins. */
  public static final String FENCE_ORDER = "fence order on ";

  private OverlapChecker() {}

  /**
   * Checks the validity windows of every hold.
   *
   * @param holds the merged records of every holder
   * @param fenceEpochs monotonic instants at which fence counters were reset (may be empty)
   * @return the report; {@code checked} counts every hold, {@code counts} per outcome
   */
  public static CheckReport check(Collection<HoldRecord> holds, long... fenceEpochs) {
    ToLongFunction<HoldRecord> end = h -> windowEnd(h, fenceEpochs);
    List<HoldRecord> windowed =
        holds.stream().filter(h -> h.valid() || end.applyAsLong(h) - h.enterNanos() > 0).toList();
    Map<String, Long> counts = outcomes(holds);
    counts.put(WITHOUT_WINDOW, (long) (holds.size() - windowed.size()));
    return run(
        "no two validity windows of one key intersect (every hold, to its last validity deadline"
            + " unless RELEASED); fences increase in window order",
        holds.size(),
        windowed,
        end,
        fenceEpochs,
        counts);
  }

  /**
   * The end of a hold's validity window; a hold that was not RELEASED and whose body spans a fence
   * epoch (the backend lost its state, the lock with it) was valid up to that reset only.
   */
  private static long windowEnd(HoldRecord h, long[] fenceEpochs) {
    long end = h.validToNanos();
    if (!h.valid()) {
      for (long boundary : fenceEpochs) {
        if (boundary - h.enterNanos() >= 0 && end - boundary > 0) {
          end = boundary;
        }
      }
    }
    return end;
  }

  /**
   * Checks the whole bodies of every hold, as if each had been valid to its end.
   *
   * @param holds the merged records
   * @param fenceEpochs monotonic instants at which fence counters were reset (may be empty)
   * @return the report
   */
  public static CheckReport checkAll(Collection<HoldRecord> holds, long... fenceEpochs) {
    return run(
        "no two holds of one key intersect (whole bodies); fences increase in enter order",
        holds.size(),
        List.copyOf(holds),
        HoldRecord::exitNanos,
        fenceEpochs,
        outcomes(holds));
  }

  /**
   * Returns how many times a key passed from one holder (pid and thread) to a different one, the
   * holds of each key taken in the order they entered.
   *
   * @param holds the merged records of every holder
   * @return the number of hand-offs
   */
  public static long handoffs(Collection<HoldRecord> holds) {
    Map<String, List<HoldRecord>> byKey =
        holds.stream().collect(Collectors.groupingBy(HoldRecord::key, TreeMap::new, toList()));
    long n = 0;
    for (List<HoldRecord> list : byKey.values()) {
      list.sort(Comparator.comparingLong(HoldRecord::enterNanos));
      for (int i = 1; i < list.size(); i++) {
        HoldRecord a = list.get(i - 1);
        HoldRecord b = list.get(i);
        if (a.pid() != b.pid() || !a.thread().equals(b.thread())) {
          n++;
        }
      }
    }
    return n;
  }

  private static Map<String, Long> outcomes(Collection<HoldRecord> holds) {
    Map<String, Long> counts = new TreeMap<>();
    for (ReleaseOutcome o : ReleaseOutcome.values()) {
      counts.put(o.name(), 0L);
    }
    holds.forEach(h -> counts.merge(h.outcome().name(), 1L, Long::sum));
    return counts;
  }

  private static CheckReport run(
      String invariant,
      long checked,
      List<HoldRecord> holds,
      ToLongFunction<HoldRecord> end,
      long[] fenceEpochs,
      Map<String, Long> counts) {
    List<String> violations = new ArrayList<>();
    Map<String, List<HoldRecord>> byKey =
        holds.stream().collect(Collectors.groupingBy(HoldRecord::key, TreeMap::new, toList()));
    for (List<HoldRecord> list : byKey.values()) {
      list.sort(Comparator.comparingLong(HoldRecord::enterNanos));
      HoldRecord latest = null; // the hold whose window ends last among those seen
      HoldRecord previous = null;
      for (HoldRecord h : list) {
        if (latest != null && h.enterNanos() - end.applyAsLong(latest) < 0) {
          violations.add(
              OVERLAP
                  + h.key()
                  + ": "
                  + describe(latest)
                  + " still held when "
                  + describe(h)
                  + " entered ("
                  + (end.applyAsLong(latest) - h.enterNanos()) / 1000
                  + " us)");
        }
        if (previous != null
            && epoch(previous.enterNanos(), fenceEpochs) == epoch(h.enterNanos(), fenceEpochs)
            && h.fence() <= previous.fence()) {
          violations.add(
              FENCE_ORDER
                  + h.key()
                  + ": "
                  + describe(h)
                  + " entered after "
                  + describe(previous)
                  + " with a fence that is not greater");
        }
        if (latest == null || end.applyAsLong(h) - end.applyAsLong(latest) > 0) {
          latest = h;
        }
        previous = h;
      }
    }
    return new CheckReport(invariant, checked, violations, counts);
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
    String d = "pid " + h.pid() + " " + h.thread() + " fence " + h.fence();
    if (h.valid()) {
      return d;
    }
    return d
        + " ("
        + h.outcome()
        + ", valid for "
        + Math.max(0, h.validToNanos() - h.enterNanos()) / 1000
        + " us of its "
        + (h.exitNanos() - h.enterNanos()) / 1000
        + " us body)";
  }

  private static java.util.stream.Collector<HoldRecord, ?, List<HoldRecord>> toList() {
    return Collectors.toCollection(ArrayList::new);
  }
}
