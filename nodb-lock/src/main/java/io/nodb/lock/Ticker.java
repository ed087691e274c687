package io.nodb.lock;

/**
 * A source of monotonic time in nanoseconds, used to judge how long a lease is still valid. Tests
 * inject a fake one instead of sleeping.
 *
 * <p>Implementations must be thread-safe and never go backwards.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current reading in nanoseconds (only differences are meaningful). */
  long read();

  /** Returns the ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
