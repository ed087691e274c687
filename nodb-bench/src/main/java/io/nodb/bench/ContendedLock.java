package io.nodb.bench;

/**
 * A blocking lock on one shared key, as the contended benchmarks use it: {@link #lock()} waits
 * (generously) and returns the way to release.
 *
 * <p>Implementations are safe for concurrent use by the threads of one JVM.
 */
interface ContendedLock extends AutoCloseable {

  /** How to release one acquisition. */
  @FunctionalInterface
  interface Held {
    /**
     * Releases the acquisition.
     *
     * @throws IllegalStateException if the lock was not ours any more
     */
    void unlock();
  }

  /** Returns the row label, e.g. {@code nodb}. */
  String label();

  /**
   * Blocks until the lock is held.
   *
   * @return the way to release it
   */
  Held lock();

  /** Closes the client behind the lock. */
  @Override
  void close();
}
