package io.nodb.recipes;

/**
 * The leading caller's thread was interrupted, in its loader or while waiting for another process;
 * nothing was stored for the round, so it is a cancellation, not a loader failure: the callers that
 * shared its flight (who were not interrupted) start a round of their own.
 */
final class LeaderInterrupted extends RuntimeException {

  LeaderInterrupted(InterruptedException cause) {
    super("the leading caller was interrupted", cause);
  }
}
