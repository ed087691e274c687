package io.nodb.testing.check;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of one invariant check: what was checked, how many items, and every violation found,
 * each described in one line.
 *
 * <p>Immutable and thread-safe.
 *
 * @param invariant the invariant, in words
 * @param checked how many items (holds, increments, keys) were checked
 * @param violations one line per violation; empty when the invariant holds
 * @param counts how many of the checked items fell in each category (e.g. holds per release
 *     outcome), ordered by name; empty when the check has no categories
 */
public record CheckReport(
    String invariant, long checked, List<String> violations, Map<String, Long> counts) {

  /** Copies the violations and the counts. */
  public CheckReport {
    violations = List.copyOf(violations);
    counts = java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /**
   * A report without categories.
   *
   * @param invariant the invariant, in words
   * @param checked how many items were checked
   * @param violations one line per violation
   */
  public CheckReport(String invariant, long checked, List<String> violations) {
    this(invariant, checked, violations, Map.of());
  }

  /**
   * Returns the count of one category, 0 if none fell in it.
   *
   * @param category e.g. {@code NOT_OWNER}
   * @return the count
   */
  public long count(String category) {
    return counts.getOrDefault(category, 0L);
  }

  /**
   * Returns how many violation lines begin with {@code prefix}, e.g. {@link
   * OverlapChecker#OVERLAP}.
   *
   * @param prefix the start of the line
   * @return the count
   */
  public long violations(String prefix) {
    return violations.stream().filter(v -> v.startsWith(prefix)).count();
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
              + " checked"
              + (counts.isEmpty() ? "" : " " + counts)
              + ":\n  "
              + String.join("\n  ", violations.subList(0, Math.min(20, violations.size()))));
    }
  }
}
