package io.nodb.testing.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a counter protected by a lock lost no update: its final value must equal the number
 * of increments its writers saw commit.
 *
 * <p>When a writer was killed, its last increment may have landed without being reported; pass the
 * number of such in-flight increments as {@code unknown}, and the final value may then exceed the
 * committed count by at most that much. It may never be below it (a lost update) nor above it by
 * more (a write that was rejected, or a zombie's, landed).
 *
 * <p>Stateless and thread-safe.
 */
public final class LostUpdateChecker {

  private LostUpdateChecker() {}

  /**
   * Checks a counter with no unknown outcomes.
   *
   * @param finalCount the counter's value at the end, as persisted
   * @param committed the sum of increments reported as committed by every writer
   * @return the report
   */
  public static CheckReport check(long finalCount, long committed) {
    return check(finalCount, committed, 0);
  }

  /**
   * Checks a counter.
   *
   * @param finalCount the counter's value at the end, as persisted
   * @param committed the sum of increments reported as committed by every writer
   * @param unknown increments whose outcome is unknown (writer killed while committing)
   * @return the report
   */
  public static CheckReport check(long finalCount, long committed, long unknown) {
    if (unknown < 0 || committed < 0) {
      throw new IllegalArgumentException(
          "committed and unknown must not be negative: " + committed + ", " + unknown);
    }
    List<String> violations = new ArrayList<>();
    if (finalCount < committed) {
      violations.add(
          (committed - finalCount)
              + " lost update(s): the counter is "
              + finalCount
              + " but "
              + committed
              + " increments committed");
    } else if (finalCount > committed + unknown) {
      violations.add(
          "the counter is "
              + finalCount
              + " but only "
              + committed
              + " increments committed (+"
              + unknown
              + " unknown): a rejected or duplicated write landed");
    }
    return new CheckReport(
        "final count == committed increments (+ at most " + unknown + " in flight at a kill)",
        committed,
        violations);
  }
}
