package io.nodb.lock.internal;

import io.nodb.lock.LockKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-JVM queue in front of the backend: threads of this JVM that wait for the same key line up
 * on a fair local gate, so only the thread at the head talks to the backend. Releases made by this
 * JVM bump a per-key sequence and wake the head at once, without a backend round trip.
 *
 * <p>Entries are reference-counted and removed when the last user leaves, so the map holds only
 * keys that are being waited for or held by this JVM. Thread-safe.
 */
final class KeyWaitQueues {

  /** One key's local state. */
  static final class Entry {
    private final ReentrantLock gate = new ReentrantLock(true);
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition released = signalLock.newCondition();
    private long releases;
    private int users;

    boolean enterGate(long timeoutNanos) throws InterruptedException {
      return gate.tryLock() || gate.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    void leaveGate() {
      gate.unlock();
    }

    long releaseSequence() {
      signalLock.lock();
      try {
        return releases;
      } finally {
        signalLock.unlock();
      }
    }

    /** Waits until a local release after {@code seenSequence}, or the timeout. */
    void awaitLocalRelease(long seenSequence, long timeoutNanos) throws InterruptedException {
      signalLock.lock();
      try {
        long left = timeoutNanos;
        while (releases == seenSequence && left > 0) {
          left = released.awaitNanos(left);
        }
      } finally {
        signalLock.unlock();
      }
    }

    void signalRelease() {
      signalLock.lock();
      try {
        releases++;
        released.signalAll();
      } finally {
        signalLock.unlock();
      }
    }
  }

  private final ConcurrentHashMap<LockKey, Entry> entries = new ConcurrentHashMap<>();

  /** Registers a user of the key's entry; pair with {@link #leave}. */
  Entry join(LockKey key) {
    return entries.compute(
        key,
        (k, e) -> {
          Entry entry = e == null ? new Entry() : e;
          entry.users++;
          return entry;
        });
  }

  /** Unregisters a user; the entry disappears with its last user. */
  void leave(LockKey key) {
    entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
  }

  /** Wakes local waiters of the key, if any. */
  void signalRelease(LockKey key) {
    Entry entry = entries.get(key);
    if (entry != null) {
      entry.signalRelease();
    }
  }
}
