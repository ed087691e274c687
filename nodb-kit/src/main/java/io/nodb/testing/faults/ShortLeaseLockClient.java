package io.nodb.testing.faults;

import io.nodb.lock.LockAdmin;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * A client that forces one short, unrenewed lease on every acquisition (see {@link LockFaults}).
 */
final class ShortLeaseLockClient implements LockClient {

  private final LockClient delegate;
  private final Duration lease;

  ShortLeaseLockClient(LockClient delegate, Duration lease) {
    this.delegate = delegate;
    this.lease = LockOptions.lease(lease).lease();
  }

  private LockOptions shorten(LockOptions asked) {
    return new LockOptions(lease, false, asked.lossListener());
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key) {
    return delegate.tryAcquire(key, LockOptions.lease(lease).withoutRenewal());
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
    return delegate.tryAcquire(key, shorten(options));
  }

  @Override
  public LockHandle acquire(LockKey key, Duration lease, Duration wait) {
    return delegate.acquire(key, LockOptions.lease(this.lease).withoutRenewal(), wait);
  }

  @Override
  public LockHandle acquire(LockKey key, LockOptions options, Duration wait) {
    return delegate.acquire(key, shorten(options), wait);
  }

  @Override
  public boolean isLocked(LockKey key) {
    return delegate.isLocked(key);
  }

  @Override
  public Optional<LockInfo> owner(LockKey key) {
    return delegate.owner(key);
  }

  @Override
  public LockAdmin admin() {
    return delegate.admin();
  }

  @Override
  public Duration ping() {
    return delegate.ping();
  }

  @Override
  public io.nodb.lock.LockDomain domain() {
    return delegate.domain();
  }

  @Override
  public String backendDescription() {
    return delegate.backendDescription() + " (short leases " + lease.toMillis() + " ms)";
  }

  @Override
  public void close() {
    delegate.close();
  }
}
