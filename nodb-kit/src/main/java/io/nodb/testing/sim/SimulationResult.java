package io.nodb.testing.sim;

import io.nodb.testing.check.HoldRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The outcomes of one {@link LockContentionSimulator} scenario, in request order, with the holds of
 * lock scenarios for the {@link io.nodb.testing.check.OverlapChecker}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param scenario the scenario's name
 * @param outcomes one per request, by index
 * @param holds the critical sections of lock requests (empty for other scenarios)
 * @param elapsed from the start gate opening until the last request returned
 */
public record SimulationResult(
    String scenario, List<RequestOutcome> outcomes, List<HoldRecord> holds, Duration elapsed) {

  /** Copies the lists. */
  public SimulationResult {
    outcomes = List.copyOf(outcomes);
    holds = List.copyOf(holds);
  }

  /** Returns how many requests had {@code status}. */
  public long count(RequestOutcome.Status status) {
    return outcomes.stream().filter(o -> o.status() == status).count();
  }

  /** Returns the longest wait of any request. */
  public Duration maxWait() {
    return outcomes.stream()
        .map(RequestOutcome::waited)
        .max(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  /**
   * Returns a percentile of the requests' durations.
   *
   * @param p between 0 and 100
   * @return the duration at that percentile (nearest rank)
   */
  public Duration durationPercentile(double p) {
    List<Duration> d = new ArrayList<>(outcomes.stream().map(RequestOutcome::duration).toList());
    if (d.isEmpty()) {
      return Duration.ZERO;
    }
    Collections.sort(d);
    int rank = (int) Math.ceil(p / 100.0 * d.size());
    return d.get(Math.max(0, Math.min(d.size() - 1, rank - 1)));
  }

  /** Returns the distinct values the requests returned, compared by identity. */
  public Set<Object> distinctValuesByIdentity() {
    Set<Object> s = Collections.newSetFromMap(new IdentityHashMap<>());
    outcomes.forEach(o -> s.add(o.value()));
    return s;
  }

  /**
   * Throws unless every request succeeded.
   *
   * @throws AssertionError with the first failure as its cause
   */
  public void assertAllSucceeded() {
    for (RequestOutcome o : outcomes) {
      if (o.status() != RequestOutcome.Status.SUCCEEDED) {
        throw new AssertionError(
            scenario + ": request " + o.index() + " on " + o.thread() + " ended " + o.status(),
            o.error());
      }
    }
  }
}
