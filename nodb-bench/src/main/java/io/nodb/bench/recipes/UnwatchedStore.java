package io.nodb.bench.recipes;

import io.nodb.recipes.LoadFailure;
import io.nodb.recipes.ValueStore;
import java.time.Duration;
import java.util.Optional;

/**
 * A store that hides its delegate's watching, so a {@link io.nodb.recipes.SingleFlight} over it
 * uses the lock-chain protocol (waiters take the compute lock in turn to read the value): the
 * benchmark's "before notices" comparison. Thread-safe as its delegate.
 */
final class UnwatchedStore<V> implements ValueStore<V> {

  private final ValueStore<V> delegate;

  UnwatchedStore(ValueStore<V> delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<V> get(String key) {
    return delegate.get(key);
  }

  @Override
  public void put(String key, V value) {
    delegate.put(key, value);
  }

  @Override
  public void putFailure(String key, LoadFailure failure, Duration ttl) {
    delegate.putFailure(key, failure, ttl);
  }

  @Override
  public Optional<LoadFailure> failure(String key) {
    return delegate.failure(key);
  }

  @Override
  public boolean isRemote() {
    return delegate.isRemote();
  }
}
