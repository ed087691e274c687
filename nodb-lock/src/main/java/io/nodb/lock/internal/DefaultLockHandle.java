package io.nodb.lock.internal;

import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLossListener;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One acquisition: token, fence, validity on the holder's monotonic clock, renewal and release.
 *
 * <p>Validity ends at {@code sent + lease - margin}, where {@code sent} is the ticker reading taken
 * before the acquire (or the last successful renewal) was sent. State changes (lost, released)
 * happen once, under the handle's monitor; backend calls happen outside it. The first {@link
 * #release()} decides the outcome; concurrent and later calls wait for and return the same one.
 * Thread-safe.
 */
final class DefaultLockHandle implements LockHandle, HandleInternals {

  private final DefaultLockClient client;
  private final LockKey key;
  private final String token;
  private volatile long fence;
  private final boolean autoRenew;
  private final long acquiredNanos;
  private final List<LockLossListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<CompletableFuture<ReleaseOutcome>> release =
      new AtomicReference<>();
  private volatile long leaseNanos;
  private volatile long validUntilNanos;
  private volatile LockLostException loss;
  private volatile Future<?> timer;
  private volatile String digest;

  DefaultLockHandle(
      DefaultLockClient client,
      LockKey key,
      String token,
      long fence,
      LockOptions options,
      long sent) {
    this.client = client;
    this.key = key;
    this.token = token;
    this.fence = fence;
    this.autoRenew = options.autoRenew();
    this.acquiredNanos = sent;
    this.leaseNanos = options.lease().toNanos();
    this.validUntilNanos = sent + leaseNanos - client.marginNanos(options.lease());
    if (options.lossListener() != null) {
      listeners.add(options.lossListener());
    }
  }

  /** Starts renewal (or the expiry notice); called once the handle is published. */
  void start() {
    scheduleNext();
  }

  @Override
  public LockKey key() {
    return key;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String tokenDigest() {
    String d = digest;
    if (d == null) {
      d = TokenDigest.of(token);
      digest = d;
    }
    return d;
  }

  @Override
  public long fence() {
    return fence;
  }

  /**
   * Returns {@code LockHandle[run/name fence N token <digest> valid|released|lost REASON]}; never
   * the token itself, which is a capability.
   */
  @Override
  public String toString() {
    LockLostException l = loss;
    String state = l != null ? "lost " + l.reason() : release.get() != null ? "released" : "valid";
    return "LockHandle[" + key + " fence " + fence + " token " + tokenDigest() + " " + state + "]";
  }

  @Override
  public boolean isValid() {
    return loss == null && release.get() == null && validUntilNanos - client.ticker().read() > 0;
  }

  @Override
  public Duration remaining() {
    if (loss != null || release.get() != null) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, validUntilNanos - client.ticker().read()));
  }

  @Override
  public Optional<LockLostException> loss() {
    return Optional.ofNullable(loss);
  }

  @Override
  public void ensureValid() {
    if (release.get() != null) {
      throw new IllegalStateException("lock " + key + " (fence " + fence + ") was released");
    }
    if (loss == null && validUntilNanos - client.ticker().read() <= 0) {
      markLost(LossReason.EXPIRED, "the lease ran out by the holder's clock");
    }
    LockLostException l = loss;
    if (l != null) {
      throw copy(l);
    }
  }

  @Override
  public void extend(Duration lease) {
    LockOptions.requireLease(lease, "lease");
    if (release.get() != null) {
      throw new IllegalStateException("cannot extend released lock " + key);
    }
    LockLostException l = loss;
    if (l != null) {
      throw copy(l);
    }
    long sent = client.ticker().read();
    OwnershipResult r = client.backend().extend(key, token, lease.toMillis());
    if (!r.owned()) {
      markLost(r.lossReason(), "extend was refused by the backend");
      throw copy(loss);
    }
    leaseNanos = lease.toNanos();
    validUntilNanos = sent + leaseNanos - client.marginNanos(lease);
    cancelTimer();
    scheduleNext();
  }

  @Override
  public boolean tryExtend(Duration lease) {
    LockOptions.requireLease(lease, "lease");
    if (release.get() != null || loss != null) {
      return false;
    }
    long sent = client.ticker().read();
    OwnershipResult r;
    try {
      r = client.backend().extend(key, token, lease.toMillis());
    } catch (RuntimeException unreachable) {
      LockLog.tryExtendFailed(key, tokenDigest(), unreachable);
      return false;
    }
    if (!r.owned()) {
      recordLoss(r.lossReason(), "extend was refused by the backend", false);
      return false;
    }
    leaseNanos = lease.toNanos();
    validUntilNanos = sent + leaseNanos - client.marginNanos(lease);
    cancelTimer();
    scheduleNext();
    return true;
  }

  @Override
  public void renewNow() {
    extend(Duration.ofNanos(leaseNanos));
  }

  @Override
  public long liftFence(long floor) {
    ensureValid();
    if (fence > floor) {
      return fence;
    }
    long lifted = client.backend().liftFence(key, token, floor);
    if (lifted < 0) {
      OwnershipResult r = client.backend().extend(key, token, leaseNanos / 1_000_000);
      markLost(r.owned() ? LossReason.BACKEND_UNCERTAIN : r.lossReason(), "fence lift refused");
      throw copy(loss);
    }
    fence = lifted;
    return lifted;
  }

  @Override
  public void addLossListener(LockLossListener listener) {
    listeners.add(listener);
    LockLostException l = loss;
    if (l != null && listeners.remove(listener)) {
      notify(listener, l);
    }
  }

  @Override
  public ReleaseOutcome release() {
    return finish(0);
  }

  @Override
  public ReleaseOutcome releaseHoldingFor(Duration atLeast) {
    LockOptions.requireHold(atLeast, "atLeast");
    long end = acquiredNanos + atLeast.toNanos();
    // whole milliseconds, rounded up: the key is held at least until then
    long leftNanos = end - client.ticker().read();
    return finish(leftNanos <= 0 ? 0 : (leftNanos + 999_999) / 1_000_000);
  }

  /** Releases now ({@code holdMillis == 0}) or keeps the key held that long, once. */
  private ReleaseOutcome finish(long holdMillis) {
    CompletableFuture<ReleaseOutcome> mine = new CompletableFuture<>();
    if (!release.compareAndSet(null, mine)) {
      return release.get().join();
    }
    cancelTimer();
    ReleaseOutcome outcome;
    try {
      OwnershipResult r =
          holdMillis > 0
              ? client.backend().releaseHolding(key, token, holdMillis)
              : client.backend().release(key, token);
      outcome = r.outcome();
      if (!r.owned()) {
        recordLoss(r.lossReason(), "found at release");
      }
      if (outcome != ReleaseOutcome.RELEASED || LockLog.debugEnabled()) {
        LockLog.releaseOutcome(key, tokenDigest(), fence, outcome, describe(r));
      }
    } catch (RuntimeException e) {
      outcome = ReleaseOutcome.BACKEND_ERROR;
      LockLog.releaseFailed(key, tokenDigest(), fence, e);
    }
    client.metrics().release(outcome);
    client.metrics().held(client.ticker().read() - acquiredNanos);
    client.released(this, outcome == ReleaseOutcome.RELEASED);
    mine.complete(outcome);
    return outcome;
  }

  @Override
  public void close() {
    try {
      release();
    } catch (RuntimeException unexpected) {
      LockLog.releaseFailed(key, tokenDigest(), fence, unexpected);
    }
  }

  /** Marks the handle lost (once) and tells the listeners; no-op once released or lost. */
  void markLost(LossReason reason, String detail) {
    if (release.get() != null) {
      return;
    }
    recordLoss(reason, detail);
  }

  private void recordLoss(LossReason reason, String detail) {
    recordLoss(reason, detail, true);
  }

  private void recordLoss(LossReason reason, String detail, boolean warn) {
    LockLostException l;
    synchronized (this) {
      if (loss != null) {
        return;
      }
      l = new LockLostException(key, reason, fence, tokenDigest(), detail);
      loss = l;
    }
    cancelTimer();
    client.metrics().lost(reason);
    if (warn) {
      LockLog.lost(l, tokenDigest());
    } else {
      LockLog.lostQuietly(l, tokenDigest());
    }
    for (LockLossListener listener : listeners) {
      if (listeners.remove(listener)) {
        notify(listener, l);
      }
    }
  }

  private void notify(LockLossListener listener, LockLostException l) {
    try {
      listener.onLoss(l);
    } catch (RuntimeException e) {
      LockLog.listenerFailed(key, tokenDigest(), e);
    }
  }

  /** Stops renewal and the expiry notice (the client was closed). */
  void stopTimers() {
    cancelTimer();
  }

  private void scheduleNext() {
    if (client.closed()) {
      return;
    }
    if (autoRenew) {
      schedule(this::renew, leaseNanos / 3);
    } else {
      schedule(this::noticeExpiry, validUntilNanos - client.ticker().read());
    }
  }

  /**
   * Hands the next renewal or expiry notice to the client's scheduler. A scheduler that refuses (an
   * executor shut down under held locks: {@code RejectedExecutionException}) or fails in any other
   * way leaves the handle unrenewed, never fails the acquire that already holds the lock: its
   * validity is still judged on the ticker, so the holder learns of the expiry at its next {@link
   * #ensureValid()}.
   */
  private void schedule(Runnable task, long delayNanos) {
    try {
      timer = client.scheduler().schedule(task, Duration.ofNanos(Math.max(0, delayNanos)));
    } catch (RuntimeException e) {
      timer = null;
      LockLog.notScheduled(key, tokenDigest(), client.scheduler(), e);
    }
  }

  private void noticeExpiry() {
    if (loss == null && release.get() == null) {
      if (validUntilNanos - client.ticker().read() <= 0) {
        markLost(LossReason.EXPIRED, "the lease ran out (renewal disabled)");
      } else {
        scheduleNext();
      }
    }
  }

  private void renew() {
    if (loss != null || release.get() != null) {
      return;
    }
    long sent = client.ticker().read();
    try {
      OwnershipResult r = client.backend().extend(key, token, leaseNanos / 1_000_000);
      client.metrics().renewal(r.owned());
      if (r.owned()) {
        validUntilNanos = sent + leaseNanos - client.marginNanos(Duration.ofNanos(leaseNanos));
        scheduleNext();
      } else {
        markLost(r.lossReason(), "renewal was refused by the backend");
      }
    } catch (RuntimeException e) {
      client.metrics().renewal(false);
      long left = validUntilNanos - client.ticker().read();
      long retry = Math.max(leaseNanos / 10, 5_000_000L);
      if (left <= retry) {
        markLost(
            LossReason.BACKEND_UNCERTAIN,
            "renewal could not reach the backend before the lease ran out: " + e);
      } else {
        LockLog.renewalFailed(key, tokenDigest(), left / 1_000_000, e);
        schedule(this::renew, retry);
      }
    }
  }

  private void cancelTimer() {
    Future<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  private String describe(OwnershipResult r) {
    if (r.owned()) {
      return "";
    }
    return switch (r.lossReason()) {
      case FORCED -> "the lock had been forced free by an operator";
      case CLEARED -> "the run's locks had been cleared";
      case TAKEN_OVER -> "the lease had run out and another token holds the lock";
      case EXPIRED -> "the lease had run out before release";
      case BACKEND_UNCERTAIN -> "ownership could not be confirmed";
    };
  }

  private static LockLostException copy(LockLostException l) {
    LockLostException c =
        new LockLostException(l.key(), l.reason(), l.fence(), l.tokenDigest(), l.detail());
    c.initCause(l);
    return c;
  }
}
