package io.nodb.tools.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks committed critical sections per lock, ordered by entry time: no two may intersect, and
 * fences must strictly increase with entry time. Also counts hand-offs (consecutive holders that
 * differ). Stateless.
 */
final class HoldChecks {

  private HoldChecks() {}

  /** Returns how many critical sections started before an earlier one of the same lock ended. */
  static long overlaps(List<Hold> holds) {
    long n = 0;
    for (List<Hold> perLock : byLock(holds).values()) {
      long maxExit = Long.MIN_VALUE;
      for (Hold h : perLock) {
        if (maxExit != Long.MIN_VALUE && h.enterNanos() - maxExit < 0) {
          n++;
        }
        if (maxExit == Long.MIN_VALUE || h.exitNanos() - maxExit > 0) {
          maxExit = h.exitNanos();
        }
      }
    }
    return n;
  }

  /** Returns how many critical sections have a fence not above the previous one of that lock. */
  static long fenceInversions(List<Hold> holds) {
    long n = 0;
    for (List<Hold> perLock : byLock(holds).values()) {
      for (int i = 1; i < perLock.size(); i++) {
        if (perLock.get(i).fence() <= perLock.get(i - 1).fence()) {
          n++;
        }
      }
    }
    return n;
  }

  /** Returns how many times a lock passed from one holder to a different one. */
  static long handoffs(List<Hold> holds) {
    long n = 0;
    for (List<Hold> perLock : byLock(holds).values()) {
      for (int i = 1; i < perLock.size(); i++) {
        if (!perLock.get(i).holder().equals(perLock.get(i - 1).holder())) {
          n++;
        }
      }
    }
    return n;
  }

  private static Map<String, List<Hold>> byLock(List<Hold> holds) {
    Map<String, List<Hold>> m = new TreeMap<>();
    for (Hold h : holds) {
      m.computeIfAbsent(h.lock(), k -> new ArrayList<>()).add(h);
    }
    Comparator<Hold> byEntry = (a, b) -> Long.compare(a.enterNanos() - b.enterNanos(), 0);
    m.values().forEach(l -> l.sort(byEntry));
    return m;
  }
}
