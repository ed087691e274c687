package io.nodb.tools.scenario;

import java.util.List;

/** One named contention or fault scenario. Implementations are stateless. */
interface Scenario {

  /** Returns one line saying what will run with this configuration. */
  String describe(ScenarioConfig c);

  /**
   * Runs the scenario and checks its invariants.
   *
   * @param ctx the run, store, client and recorder
   * @return the invariants, each checked
   * @throws Exception if the scenario cannot be carried out (not an invariant failure)
   */
  List<Invariant> run(ScenarioContext ctx) throws Exception;
}
