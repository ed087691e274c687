package io.nodb.lock.internal;

import io.nodb.NoDbException;
import io.nodb.lock.AuditEntry;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock client over any {@link LockBackend}: makes tokens, waits with a deadline (local queue
 * first, then the backend's release signal, re-checking at the holder's TTL), creates handles, and
 * tells this JVM's evicted holders at once when it forces or clears their locks.
 *
 * <p>Thread-safe; one instance per backend per JVM is enough.
 */
final class DefaultLockClient implements LockClient, LockRuntime {

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
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, was " + wait);
    }
    long start = ticker().read();
    long deadline = start + wait.toNanos();
    KeyWaitQueues.Entry entry = queues.join(key);
    try {
      if (!entry.enterGate(wait.toNanos())) {
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
      long recheck = a.holder.map(h -> h.ttlLeft().toNanos()).orElse(0L);
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
    DefaultLockHandle handle =
        new DefaultLockHandle(this, key, token, result.fence(), options, sent);
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
  public List<LockInfo> locks(String runId) {
    return backend.locks(LockKey.requireValidRunId(runId));
  }

  @Override
  public io.nodb.lock.RunScan scanRuns(String cursor, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    return backend.scanRuns(java.util.Objects.requireNonNull(cursor, "cursor"), count);
  }

  @Override
  public Optional<LockInfo> forceUnlock(LockKey key, String reason) {
    return force(key, null, reason);
  }

  @Override
  public Optional<LockInfo> forceUnlock(LockKey key, String expectedTokenDigest, String reason) {
    if (expectedTokenDigest == null || !expectedTokenDigest.matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException(
          "expected token digest must be 8 lower-case hex digits (as nodb status shows), was "
              + (expectedTokenDigest == null ? "null" : "'" + expectedTokenDigest + "'"));
    }
    return force(key, expectedTokenDigest, reason);
  }

  private Optional<LockInfo> force(LockKey key, String expected, String reason) {
    Optional<LockInfo> evicted = backend.forceUnlock(key, expected, reasonText(reason), actor());
    evicted.ifPresent(
        e -> {
          metrics.forced("force", 1);
          LockLog.forced(key, reasonText(reason), e.describe());
          tellEvicted(List.of(e), LossReason.FORCED);
        });
    queues.signalRelease(key);
    return evicted;
  }

  @Override
  public List<LockInfo> clearLocks(String runId, String reason) {
    List<LockInfo> evicted =
        backend.clearRun(LockKey.requireValidRunId(runId), reasonText(reason), actor());
    metrics.forced("clear", evicted.size());
    LockLog.cleared(runId, reasonText(reason), evicted.size());
    tellEvicted(evicted, LossReason.CLEARED);
    evicted.forEach(e -> queues.signalRelease(e.key()));
    return evicted;
  }

  private void tellEvicted(List<LockInfo> evicted, LossReason reason) {
    for (LockInfo e : evicted) {
      for (DefaultLockHandle h : live) {
        if (h.key().equals(e.key()) && h.tokenDigest().equals(e.tokenDigest())) {
          h.markLost(reason, "evicted by this process");
        }
      }
    }
  }

  private static String reasonText(String reason) {
    return reason == null || reason.isBlank() ? "(no reason given)" : reason.strip();
  }

  private String actor() {
    return self.describe() + " user=" + System.getProperty("user.name", "?");
  }

  @Override
  public List<AuditEntry> audit(String runId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return backend.audit(LockKey.requireValidRunId(runId), limit);
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

  @Override
  public boolean closed() {
    return closed;
  }

  // LockRuntime, for handles

  @Override
  public LockBackend backend() {
    return backend;
  }

  @Override
  public Ticker ticker() {
    return config.ticker();
  }

  @Override
  public LockMetrics metrics() {
    return metrics;
  }

  @Override
  public LockScheduler scheduler() {
    return scheduler;
  }

  @Override
  public long marginNanos(Duration lease) {
    return config.safetyMarginNanos(lease);
  }

  @Override
  public void released(LockHandle handle, boolean freed) {
    // signal first: a waiter that no longer finds the handle live must see the new sequence
    if (freed) {
      queues.signalRelease(handle.key());
    }
    live.remove(handle);
  }
}
