package io.nodb.recipes;

/**
 * The computing caller's thread was interrupted in its loader; nothing was stored for the round, so
 * it is a cancellation, not a loader failure: the callers that shared its flight start a round of
 * their own.
 */
final class LeaderInterrupted extends RuntimeException {

  LeaderInterrupted(InterruptedException cause) {
    super("the computing caller was interrupted", cause);
  }
}
