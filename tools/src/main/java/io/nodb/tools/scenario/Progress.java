package io.nodb.tools.scenario;

/** Receives a one-line progress message while a scenario runs. Called from any thread. */
@FunctionalInterface
public interface Progress {

  /** Ignores progress. */
  Progress NONE = line -> {};

  /**
   * Reports progress.
   *
   * @param line e.g. {@code thundering-herd: 37/64 done, 0 overlaps}
   */
  void update(String line);
}
