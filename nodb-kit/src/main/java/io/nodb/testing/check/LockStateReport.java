package io.nodb.testing.check;

import io.nodb.lock.LockKey;
import java.util.List;
import java.util.Map;

/**
 * What {@link LockStateProbe} saw for one lock, and every way the backend, the holder's handle and
 * the controller file disagree.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the lock
 * @param observed what was read, by source (e.g. {@code redis.lock}, {@code handle.fence}, {@code
 *     file.fence}), in reading order
 * @param differences one line per disagreement; empty when they agree
 */
public record LockStateReport(LockKey key, Map<String, String> observed, List<String> differences) {

  /** Copies the collections. */
  public LockStateReport {
    observed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(observed));
    differences = List.copyOf(differences);
  }

  /** Returns whether every source agrees. */
  public boolean agrees() {
    return differences.isEmpty();
  }

  /**
   * Throws if the sources disagree.
   *
   * @throws AssertionError listing the differences and what was observed
   */
  public void assertAgrees() {
    if (!agrees()) {
      throw new AssertionError(
          "lock state of "
              + key
              + " disagrees:\n  "
              + String.join("\n  ", differences)
              + "\nobserved: "
              + observed);
    }
  }
}
