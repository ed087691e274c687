package io.nodb.testing.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for a condition with Awaitility (polled every 10 ms on the calling thread) and answers
 * whether it held in time, for the launcher's "did the server come up" checks that report their own
 * error. Stateless.
 */
final class BoundedPoll {

  static final Duration INTERVAL = Duration.ofMillis(10);

  private BoundedPoll() {}

  /**
   * Returns true as soon as the condition holds, false once the timeout has passed without it.
   *
   * @throws IllegalStateException if the thread is interrupted (the interrupt flag is restored)
   */
  static boolean await(Duration timeout, BooleanSupplier condition) {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(INTERVAL)
          .pollInSameThread()
          .until(condition::getAsBoolean);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    } finally {
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while waiting for a Redis server");
      }
    }
  }
}
