package io.nodb.testing.check;

import java.util.List;

/**
 * The result of one invariant check: what was checked, how many items, and every violation found,
 * each described in one line.
 *
 * <p>Immutable and thread-safe.
 *
 * @param invariant the invariant, in words
 * @param checked how many items (holds, increments, keys) were checked
 * @param violations one line per violation; empty when the invariant holds
 */
public record CheckReport(String invariant, long checked, List<String> violations) {

  /** Copies the violations. */
  public CheckReport {
    violations = List.copyOf(violations);
  }

  /** Returns whether no violation was found. */
  public boolean isClean() {
    return violations.isEmpty();
  }

  /**
   * Throws if a violation was found.
   *
   * @throws AssertionError naming the invariant and the first violations
   */
  public void assertClean() {
    if (!isClean()) {
      throw new AssertionError(
          violations.size()
              + " violation(s) of '"
              + invariant
              + "' among "
              + checked
              + " checked:\n  "
              + String.join("\n  ", violations.subList(0, Math.min(20, violations.size()))));
    }
  }
}
