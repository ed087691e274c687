package io.nodb.tools.scenario;

import java.util.List;
import java.util.Map;

/**
 * The result of one scenario run: what ran where, the outcome of every operation, wait and hold
 * percentiles of the committed critical sections, hand-offs, the invariants checked, and the
 * narrated steps. Immutable.
 *
 * @param scenario the scenario name
 * @param description one line saying what ran
 * @param backend the lock backend, without credentials
 * @param runDir the run directory (deleted afterwards when it was temporary)
 * @param config the parameters
 * @param elapsedMillis wall time of the scenario body
 * @param outcomes count per outcome ({@code ok}, {@code timeout}, {@code lost-expired}, ...)
 * @param waits time from asking for a lock to holding it, per committed critical section
 * @param holds time inside each committed critical section (body and commit)
 * @param handoffs times a lock passed from one holder to a different one
 * @param invariants what was checked
 * @param steps what happened, in order (fault scenarios narrate what they simulated)
 */
public record ScenarioReport(
    String scenario,
    String description,
    String backend,
    String runDir,
    ScenarioConfig config,
    long elapsedMillis,
    Map<String, Long> outcomes,
    Stats waits,
    Stats holds,
    long handoffs,
    List<Invariant> invariants,
    List<String> steps) {

  /** Returns whether every invariant holds. */
  public boolean ok() {
    return invariants.stream().allMatch(Invariant::ok);
  }

  /** Returns how many operations were recorded (the sum of the outcome counts). */
  public long requests() {
    return outcomes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Returns the count of one outcome (0 if absent). */
  public long count(String outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }
}
