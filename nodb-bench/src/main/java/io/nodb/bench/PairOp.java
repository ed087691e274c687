package io.nodb.bench;

/**
 * One single-threaded operation timed by {@link PairBenchmark}: a PING, or an acquire+release pair
 * of one lock implementation on its own key.
 *
 * <p>Not thread-safe: one thread runs an operation at a time.
 */
interface PairOp extends AutoCloseable {

  /** Returns the row label, e.g. {@code nodb acquire+release}. */
  String label();

  /**
   * Runs the operation once.
   *
   * @throws IllegalStateException if a lock was not acquired or not released as expected
   */
  void run();

  /** Closes the client behind the operation. */
  @Override
  void close();
}
