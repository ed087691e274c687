package io.nodb.lock.internal;

import io.nodb.NoDbException;
import io.nodb.lock.LockAdmin;
import io.nodb.lock.LockAttempt;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockScheduler;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.LossReason;
import io.nodb.lock.Ticker;
import io.nodb.lock.internal.LockMetrics.AcquireOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock client over any {@link LockBackend}: makes tokens, waits with a deadline (local queue
 * first, then the backend's release signal, re-checking at the holder's TTL) and creates handles.
 * Its {@link DefaultLockAdmin} tells this client's evicted holders at once when it forces or clears
 * their locks.
 *
 * <p>Thread-safe; one instance per backend per JVM is enough.
 */
final class DefaultLockClient implements LockClient {

  private static final long MIN_RECHECK_NANOS = 1_000_000L;

  private final LockBackend backend;
  private final LockClientConfig config;
  private final LockMetrics metrics;
  private final HostIdentity self;
  private final TokenFactory tokens = new TokenFactory();
  private final KeyWaitQueues queues = new KeyWaitQueues();
  private final LockScheduler scheduler;
  private volatile boolean closed;
  private final Set<DefaultLockHandle> live = ConcurrentHashMap.newKeySet();
  private final DefaultLockAdmin admin = new DefaultLockAdmin(this);

  DefaultLockClient(LockBackend backend, LockClientConfig config, HostIdentity self) {
    this.backend = backend;
    this.config = config;
    this.metrics =
        config.meterRegistry() == null
            ? NoopLockMetrics.INSTANCE
            : MicrometerLockMetrics.create(config.meterRegistry());
    this.self = self;
    this.scheduler = config.scheduler() != null ? config.scheduler() : Watchdog.shared();
    if (config.releaseOnShutdown()) {
      ShutdownRelease.register(this);
    }
  }

  /** Returns the handles acquired and not yet released (for the shutdown release). */
  List<DefaultLockHandle> liveHandles() {
    return List.copyOf(live);
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key) {
    return tryAcquire(key, LockOptions.lease(config.defaultLease()));
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
    Objects.requireNonNull(options, "options");
    return attempt(key, options).handle();
  }

  @Override
  public LockAttempt attempt(LockKey key, LockOptions options) {
    long start = ticker().read();
    Attempt a = attempt(key, options, start, false);
    metrics.acquireWait(
        a.handle != null ? AcquireOutcome.ACQUIRED : AcquireOutcome.CONTENDED,
        ticker().read() - start);
    if (a.handle != null) {
      return LockAttempt.acquired(a.handle);
    }
    return a.holder.map(LockAttempt::held).orElseGet(LockAttempt::heldByUnknown);
  }

  @Override
  public LockHandle acquire(LockKey key, Duration lease, Duration wait) {
    return acquire(key, LockOptions.lease(lease), wait);
  }

  @Override
  public LockHandle acquire(LockKey key, LockOptions options, Duration wait) {
    Objects.requireNonNull(options, "options");
    long waitNanos = waitNanos(wait);
    long start = ticker().read();
    // ticker readings may wrap: deadlines are compared by difference, so a wait is capped
    long deadline = start + waitNanos;
    KeyWaitQueues.Entry entry = queues.join(key);
    try {
      if (!entry.enterGate(waitNanos)) {
        throw timeout(key, start, ownerQuietly(key));
      }
      try {
        return waitForLock(key, options, entry, start, deadline);
      } finally {
        entry.leaveGate();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.acquireWait(AcquireOutcome.INTERRUPTED, ticker().read() - start);
      throw new NoDbException("interrupted while waiting for lock " + key, e);
    } finally {
      queues.leave(key);
    }
  }

  /** The longest wait in nanoseconds (about 73 years): longer waits saturate to it. */
  static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

  /**
   * Returns a wait in nanoseconds, saturated at {@link #MAX_WAIT_NANOS} (so that a wait of {@code
   * Duration.ofSeconds(Long.MAX_VALUE)} means "as long as it takes", never an overflow).
   *
   * @throws IllegalArgumentException if the wait is negative
   */
  static long waitNanos(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, was " + wait);
    }
    return saturatedNanos(wait);
  }

  /** Returns a non-negative duration in nanoseconds, at most {@link #MAX_WAIT_NANOS}. */
  static long saturatedNanos(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    return d.compareTo(Duration.ofNanos(MAX_WAIT_NANOS)) >= 0 ? MAX_WAIT_NANOS : d.toNanos();
  }

  private LockHandle waitForLock(
      LockKey key, LockOptions options, KeyWaitQueues.Entry entry, long start, long deadline)
      throws InterruptedException {
    for (int round = 0; ; round++) {
      long seen = entry.releaseSequence();
      Attempt a = attempt(key, options, start, true);
      if (a.handle != null) {
        metrics.acquireWait(AcquireOutcome.ACQUIRED, ticker().read() - start);
        return a.handle;
      }
      long left = deadline - ticker().read();
      if (left <= 0) {
        throw timeout(key, start, a.holder);
      }
      // (a planted state may claim an expiry centuries away: saturate, never overflow)
      long recheck = a.holder.map(h -> saturatedNanos(h.ttlLeft())).orElse(0L);
      long waitNanos = Math.min(left, recheck > 0 ? recheck + MIN_RECHECK_NANOS : left);
      if (a.holder.isPresent() && heldHere(key, a.holder.get().tokenDigest())) {
        entry.awaitLocalRelease(seen, waitNanos);
      } else if (entry.releaseSequence() == seen) {
        // (a holder of this client released since the attempt bumped the sequence before leaving
        // the live set: then try again at once, as its release wrote no wake-up for us)
        backend.awaitRelease(key, waitNanos, round);
      }
    }
  }

  /**
   * Whether the holder is a handle of this client, whose release will signal the local queue. (The
   * acquire attempt did not flag a wait for such a holder: its token carries this client's tag.)
   */
  private boolean heldHere(LockKey key, String tokenDigest) {
    for (DefaultLockHandle h : live) {
      if (h.key().equals(key) && h.tokenDigest().equals(tokenDigest)) {
        return true;
      }
    }
    return false;
  }

  private record Attempt(DefaultLockHandle handle, Optional<LockInfo> holder) {}

  private Attempt attempt(LockKey key, LockOptions options, long start, boolean willWait) {
    String token = tokens.next();
    long sent = ticker().read();
    OwnerStamp stamp =
        new OwnerStamp(
            self.host(),
            self.pid(),
            Thread.currentThread().getName(),
            config.clock().millis(),
            options.lease().toMillis());
    AcquireAttempt result;
    try {
      result = backend.tryAcquire(key, token, stamp, willWait, tokens.tag());
    } catch (LockBackendUnavailableException e) {
      metrics.acquireWait(AcquireOutcome.UNAVAILABLE, ticker().read() - start);
      throw e;
    }
    if (!result.acquired()) {
      return new Attempt(null, result.holder());
    }
    DefaultLockHandle handle;
    try {
      handle = new DefaultLockHandle(this, key, token, result.fence(), options, sent);
    } catch (RuntimeException | Error e) {
      // the lock is taken but no handle owns it: give it back rather than leave it to its lease
      try {
        backend.release(key, token);
      } catch (RuntimeException releaseFailed) {
        e.addSuppressed(releaseFailed);
      }
      throw e;
    }
    live.add(handle);
    handle.start();
    return new Attempt(handle, Optional.empty());
  }

  private LockTimeoutException timeout(LockKey key, long start, Optional<LockInfo> holder) {
    long waited = ticker().read() - start;
    metrics.acquireWait(AcquireOutcome.TIMEOUT, waited);
    return new LockTimeoutException(key, Duration.ofNanos(waited), holder);
  }

  private Optional<LockInfo> ownerQuietly(LockKey key) {
    try {
      return backend.owner(key);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean isLocked(LockKey key) {
    return backend.owner(key).isPresent();
  }

  @Override
  public Optional<LockInfo> owner(LockKey key) {
    return backend.owner(key);
  }

  @Override
  public LockAdmin admin() {
    return admin;
  }

  /** Returns the backend's description and the acting user, for audit trails. */
  String actor() {
    return self.describe() + " user=" + System.getProperty("user.name", "?");
  }

  /** Tells this client's live handles among {@code evicted} that they lost the lock. */
  void tellEvicted(List<LockInfo> evicted, LossReason reason) {
    for (LockInfo e : evicted) {
      for (DefaultLockHandle h : live) {
        if (h.key().equals(e.key()) && h.tokenDigest().equals(e.tokenDigest())) {
          h.markLost(reason, "evicted by this process");
        }
      }
    }
  }

  /** Wakes this JVM's waiters of {@code key} (after a force or clear). */
  void signalRelease(LockKey key) {
    queues.signalRelease(key);
  }

  @Override
  public Duration ping() {
    return backend.ping();
  }

  /** Returns {@code LockClient[<backend description>]}; a Redis password is never shown. */
  @Override
  public String toString() {
    return "LockClient[" + backend.describe() + "]";
  }

  private volatile LockDomain domain;

  @Override
  public LockDomain domain() {
    return domain(null);
  }

  /** Returns the domain, adopting {@code adopt} as the deployment id if the server has none. */
  LockDomain domain(String adopt) {
    LockDomain d = domain;
    if (d == null) {
      d = backend.domain(adopt);
      domain = d;
    }
    return d;
  }

  @Override
  public String backendDescription() {
    return backend.describe();
  }

  @Override
  public void close() {
    closed = true;
    ShutdownRelease.unregister(this);
    for (DefaultLockHandle h : live) {
      h.stopTimers();
    }
    backend.close();
  }

  /** Whether the client was closed (its handles are no longer renewed). */
  boolean closed() {
    return closed;
  }

  // what its handles use

  LockBackend backend() {
    return backend;
  }

  Ticker ticker() {
    return config.ticker();
  }

  LockMetrics metrics() {
    return metrics;
  }

  /** The scheduler of renewals and expiry notices (the shared watchdog unless configured). */
  LockScheduler scheduler() {
    return scheduler;
  }

  long marginNanos(Duration lease) {
    return config.safetyMarginNanos(lease);
  }

  /** Called once when a handle's release finished; {@code freed} when the lock was deleted. */
  void released(LockHandle handle, boolean freed) {
    // signal first: a waiter that no longer finds the handle live must see the new sequence
    if (freed) {
      queues.signalRelease(handle.key());
    }
    live.remove(handle);
  }
}
