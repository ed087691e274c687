package io.nodb.tools.scenario;

/** Thrown when a scenario refuses to run on the given run directory (its locks are held). */
public final class ScenarioRefusedException extends RuntimeException {

  ScenarioRefusedException(String message) {
    super(message);
  }
}
