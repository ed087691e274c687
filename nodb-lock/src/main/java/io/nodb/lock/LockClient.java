package io.nodb.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * Takes, inspects and frees token-owned, fenced locks on a backend (Redis, or files on this host):
 * the holder's side. The operator's calls (listing runs and locks, forcing, clearing, the audit
 * trail) are on {@link LockAdmin}, from {@link #admin()}.
 *
 * <p>Contention is a value: {@link #tryAcquire} returns an empty {@code Optional} when the lock is
 * held. {@link #acquire} waits up to a deadline and is woken when the lock is released, forced or
 * cleared; it re-checks at the holder's remaining TTL so an expired lock is noticed without a
 * signal. Threads of one JVM that wait for the same key queue locally, so only one of them talks to
 * the backend at a time.
 *
 * <p>Thread-safety: a client is safe for concurrent use by any number of threads and should be
 * shared (one per backend per JVM). {@link #close()} stops its watchdog and closes connections;
 * handles still held stop being renewed and expire after their lease.
 *
 * <p>Every method that talks to the backend throws {@link LockBackendUnavailableException} when it
 * cannot be reached within the configured connect or read timeout. Create clients with {@link
 * #builder()}.
 */
public interface LockClient extends AutoCloseable {

  /**
   * Returns a new builder with the defaults of {@link LockClientBuilder}, for example {@code
   * LockClient.builder().redis(url).build()}.
   *
   * @return the builder
   */
  static LockClientBuilder builder() {
    return new LockClientBuilder();
  }

  /**
   * Takes the lock if it is free, with the default lease renewed by the watchdog.
   *
   * @param key the lock
   * @return the handle, or empty if another token holds the lock
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  Optional<LockHandle> tryAcquire(LockKey key);

  /**
   * Takes the lock if it is free.
   *
   * @param key the lock
   * @param options lease, renewal and loss listener
   * @return the handle, or empty if another token holds the lock
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  Optional<LockHandle> tryAcquire(LockKey key, LockOptions options);

  /**
   * Takes the lock if it is free, else tells who holds it: one backend call where {@link
   * #tryAcquire} and {@link #owner} would be two, between which the holder could change. The
   * default makes those two calls; the built-in clients make one.
   *
   * @param key the lock
   * @param options lease, renewal and loss listener
   * @return the handle, or the holder the backend saw
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  default LockAttempt attempt(LockKey key, LockOptions options) {
    Optional<LockHandle> mine = tryAcquire(key, options);
    if (mine.isPresent()) {
      return LockAttempt.acquired(mine.get());
    }
    return owner(key).map(LockAttempt::held).orElseGet(LockAttempt::heldByUnknown);
  }

  /**
   * Takes the lock, waiting up to {@code wait}, with a lease renewed by the watchdog.
   *
   * @param key the lock
   * @param lease the lease
   * @param wait how long to wait at most; zero means one attempt
   * @return the handle
   * @throws LockTimeoutException naming the owner, its fence and TTL left, if the wait ran out
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  LockHandle acquire(LockKey key, Duration lease, Duration wait);

  /**
   * Takes the lock, waiting up to {@code wait}.
   *
   * @param key the lock
   * @param options lease, renewal and loss listener
   * @param wait how long to wait at most; zero means one attempt
   * @return the handle
   * @throws LockTimeoutException naming the owner, its fence and TTL left, if the wait ran out
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  LockHandle acquire(LockKey key, LockOptions options, Duration wait);

  /**
   * Returns whether any token holds the lock (not whether the caller does).
   *
   * @param key the lock
   * @return true if held
   */
  boolean isLocked(LockKey key);

  /**
   * Returns who holds the lock.
   *
   * @param key the lock
   * @return the owner, or empty if the lock is free
   */
  Optional<LockInfo> owner(LockKey key);

  /**
   * Returns the operator's calls on this client's backend (list, force, clear, audit), sharing its
   * connections: an eviction made through it tells this client's evicted handles at once. The admin
   * lives as long as the client.
   *
   * @return the admin view, the same instance on every call
   */
  LockAdmin admin();

  /**
   * Checks that the backend answers.
   *
   * @return the round-trip time
   * @throws LockBackendUnavailableException if it does not
   */
  Duration ping();

  /**
   * Returns where this client's locks live: local files, or which Redis deployment (by the id kept
   * in the server, not by URL). The store refuses to lock a run recorded for another domain.
   *
   * @return the domain
   * @throws LockBackendUnavailableException if Redis cannot be reached
   */
  LockDomain domain();

  /** Returns a description of the backend without credentials, e.g. {@code redis://host:6379}. */
  String backendDescription();

  /** Stops renewals and closes connections. Never throws. */
  @Override
  void close();
}
