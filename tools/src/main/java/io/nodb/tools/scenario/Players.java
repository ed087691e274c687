package io.nodb.tools.scenario;

import io.nodb.testing.sim.LockContentionSimulator;
import io.nodb.testing.sim.RequestOutcome;
import io.nodb.testing.sim.SimulationResult;
import java.time.Duration;

/**
 * Runs the players of the contention scenarios (herd and playback) in this JVM on the kit's {@link
 * LockContentionSimulator}: its start gate, its threads, its deadline. A request's own outcome
 * ({@code ok}, {@code timeout}, ...) goes to the scenario's {@link Recorder}; the simulator's
 * status only tells whether the request ran to its end. Stateless.
 */
final class Players {

  /** How long all players of one process may take together; far above any lock wait. */
  static final Duration DEADLINE = Duration.ofMinutes(10);

  private Players() {}

  /**
   * Runs {@code players} players of {@code requests} requests each.
   *
   * @param players how many threads
   * @param requests requests per player, made in order on its thread
   * @param beforeGo runs when every player waits at the gate, before it opens
   * @param request one request
   * @throws IllegalStateException naming the first request that did not run to its end (threw an
   *     {@code Error} or an exception the scenario does not record, or missed the deadline)
   */
  static void run(
      int players, int requests, Runnable beforeGo, LockContentionSimulator.PlayerRequest request) {
    SimulationResult result =
        new LockContentionSimulator(DEADLINE).players(players, requests, beforeGo, request);
    for (RequestOutcome o : result.outcomes()) {
      if (o.status() != RequestOutcome.Status.SUCCEEDED) {
        throw new IllegalStateException(
            result.scenario()
                + ": request "
                + o.index()
                + " on "
                + o.thread()
                + " ended "
                + o.status(),
            o.error());
      }
    }
  }
}
