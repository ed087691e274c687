package io.nodb.lock.internal.local;

import io.nodb.lock.internal.FileLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Mutual exclusion per lock key across the threads of this JVM and the processes of this host: an
 * in-JVM lock first, then an exclusive OS lock on a guard file (for a lock key, the guard of its
 * stripe, {@code stripe-NN.mutex}; for a run's records, {@code run.mutex}). Also the in-JVM wake-up
 * signal for waiters of a key.
 *
 * <p>The in-JVM lock is needed because the OS lock is held on behalf of the whole JVM: a second
 * thread locking the same file gets {@code OverlappingFileLockException} instead of waiting. It
 * also has to be shared by every backend instance of the JVM (two instances on one runs root lock
 * the same files), which is why {@link #jvmWide()} exists rather than one table per backend. Locks
 * are striped by the guard file's canonical path, so memory stays bounded; keys sharing a stripe
 * only serialize briefly and share wake-ups (a waiter may wake early and re-checks).
 *
 * <p>A thread must not hold two stripes at once (stripes are not ordered, so that could deadlock):
 * {@link #withKey} rejects nesting. Thread-safe.
 */
final class KeyMutexes {

  private static final KeyMutexes JVM_WIDE = new KeyMutexes(256);

  /** How long to wait for another process's guard before reporting the backend unavailable. */
  private static final java.time.Duration OS_LOCK_WAIT = java.time.Duration.ofSeconds(10);

  private final ReentrantLock[] locks;
  private final Condition[] released;

  KeyMutexes(int stripes) {
    locks = new ReentrantLock[stripes];
    released = new Condition[stripes];
    for (int i = 0; i < stripes; i++) {
      locks[i] = new ReentrantLock();
      released[i] = locks[i].newCondition();
    }
  }

  /** Returns the table shared by every local backend of this JVM. */
  static KeyMutexes jvmWide() {
    return JVM_WIDE;
  }

  /**
   * Work done while holding a key's locks.
   *
   * @param <T> the result type
   */
  @FunctionalInterface
  interface GuardedIo<T> {
    /**
     * Runs the work.
     *
     * @return the result
     * @throws IOException if the work fails
     */
    T run() throws IOException;
  }

  /**
   * Runs {@code action} holding the in-JVM lock and the OS lock of a key.
   *
   * @param guardFile the guard file, by its canonical path; created if missing
   * @param action the work
   * @param <T> the result type
   * @return what {@code action} returned
   * @throws SymlinkRefusedException if the guard file is a symbolic link (never followed)
   * @throws IOException if the guard file cannot be opened or locked, or the action fails
   * @throws IllegalStateException if the calling thread already holds a key's lock
   */
  <T> T withKey(Path guardFile, GuardedIo<T> action) throws IOException {
    int stripe = stripe(guardFile);
    ReentrantLock lock = locks[stripe];
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("nested key lock on " + guardFile);
    }
    // An interrupted thread would get ClosedByInterruptException from the file channel; a
    // release or renewal must still work, so the flag is set aside and restored afterwards.
    boolean interrupted = Thread.interrupted();
    lock.lock();
    try (FileChannel channel = SafeFiles.openGuard(guardFile)) {
      FileLock osLock = FileLocks.lockWithin(channel, OS_LOCK_WAIT, guardFile);
      try {
        return action.run();
      } finally {
        osLock.release();
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Wakes this JVM's waiters of a key (and of keys sharing its stripe).
   *
   * @param guardFile the key's guard file, by its canonical path
   */
  void signalReleased(Path guardFile) {
    int stripe = stripe(guardFile);
    locks[stripe].lock();
    try {
      released[stripe].signalAll();
    } finally {
      locks[stripe].unlock();
    }
  }

  /**
   * Waits until {@link #signalReleased} is called for the key's stripe, or a time passes.
   *
   * <p>{@code waitNanos} is evaluated while holding the stripe's lock, which every in-JVM release
   * also holds while it changes the key and signals; so if it sees the key still held, the signal
   * of the release that frees it cannot be missed. A result of zero or less returns at once.
   *
   * @param guardFile the key's guard file, by its canonical path
   * @param waitNanos how long to wait, given the key's current state
   * @throws InterruptedException if interrupted while waiting
   */
  void awaitReleased(Path guardFile, LongSupplier waitNanos) throws InterruptedException {
    int stripe = stripe(guardFile);
    locks[stripe].lockInterruptibly();
    try {
      long nanos = waitNanos.getAsLong();
      if (nanos > 0) {
        released[stripe].await(nanos, TimeUnit.NANOSECONDS);
      }
    } finally {
      locks[stripe].unlock();
    }
  }

  private int stripe(Path guardFile) {
    int h = guardFile.toString().hashCode();
    return Math.floorMod(h ^ (h >>> 16), locks.length);
  }
}
