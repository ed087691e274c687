package io.nodb.bench;

/** Thrown when a benchmark observes two holders of one lock at once: the run is invalid. */
final class MutualExclusionViolation extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  MutualExclusionViolation(String message) {
    super(message);
  }
}
