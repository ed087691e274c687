package io.nodb.testing.sim;

import java.time.Duration;

/**
 * What happened to one simulated request.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the request's number, from 0
 * @param thread the name of the thread that made it
 * @param status how it ended
 * @param waited for lock requests, how long the acquire took; for other requests, how long the
 *     request queued behind others on its thread after the start gate opened
 * @param duration how long the request took from its start until it returned, body included
 * @param fence the fence of the acquisition, or -1 when there was none
 * @param value what the request returned (for singleton races, the instance), or null
 * @param error what it threw, or null
 */
public record RequestOutcome(
    int index,
    String thread,
    Status status,
    Duration waited,
    Duration duration,
    long fence,
    Object value,
    Throwable error) {

  /** How a request ended. */
  public enum Status {
    /** It returned normally (for lock requests: acquired, ran the body and released). */
    SUCCEEDED,
    /** The lock was not obtained within the wait ({@link io.nodb.lock.LockTimeoutException}). */
    TIMED_OUT,
    /** It threw anything else. */
    FAILED
  }
}
