package io.nodb.testing.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition at short intervals until it holds or a deadline passes. Stateless. */
final class BoundedPoll {

  static final Duration INTERVAL = Duration.ofMillis(10);

  private BoundedPoll() {}

  /**
   * Returns true as soon as the condition holds, false once the timeout has passed without it.
   *
   * @throws IllegalStateException if the thread is interrupted (the interrupt flag is restored)
   */
  static boolean await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(INTERVAL.toNanos());
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a Redis server");
      }
    }
  }
}
