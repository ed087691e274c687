package io.nodb.recipes;

import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.recipes.internal.OutageGate;
import io.nodb.recipes.internal.RecipeLog;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link ValueStore} as a {@link SingleFlight} uses it: a remote store is skipped while the
 * backend is known to be down, an unreachable backend starts an outage (logged once by the gate),
 * and every other store error is logged and turned into "miss" or "not stored", never thrown.
 * Thread-safe.
 */
final class FlightStore<V> {

  private final ValueStore<V> store;
  private final OutageGate outage;
  private final String what;

  FlightStore(ValueStore<V> store, OutageGate outage, String what) {
    this.store = store;
    this.outage = outage;
    this.what = what;
  }

  Optional<V> read(String key) {
    if (!reachable()) {
      return Optional.empty();
    }
    try {
      return store.get(key);
    } catch (RuntimeException e) {
      failed("get", key, e);
      return Optional.empty();
    }
  }

  Optional<LoadFailure> readFailure(String key) {
    if (!reachable()) {
      return Optional.empty();
    }
    try {
      return store.failure(key);
    } catch (RuntimeException e) {
      failed("failure", key, e);
      return Optional.empty();
    }
  }

  /** Stores a value; returns whether it was stored (and so announced to watchers). */
  boolean put(String key, V value) {
    if (!reachable()) {
      return false;
    }
    try {
      store.put(key, value);
      return true;
    } catch (RuntimeException e) {
      failed("put", key, e);
      return false;
    }
  }

  /** Records a failure; returns whether it was recorded (and so announced to watchers). */
  boolean putFailure(String key, LoadFailure failure, Duration ttl) {
    if (!reachable()) {
      return false;
    }
    try {
      store.putFailure(key, failure, ttl);
      return true;
    } catch (RuntimeException e) {
      failed("putFailure", key, e);
      return false;
    }
  }

  void abandon(String key) {
    if (!reachable()) {
      return;
    }
    try {
      store.abandon(key);
    } catch (RuntimeException e) {
      failed("abandon", key, e);
    }
  }

  /** Starts watching a key; empty if the store cannot notify, or failed to. */
  Optional<ValueWatch<V>> watch(String key) {
    if (!reachable()) {
      return Optional.empty();
    }
    try {
      return store.watch(key);
    } catch (RuntimeException e) {
      failed("watch", key, e);
      return Optional.empty();
    }
  }

  /** Waits for a watch's next notice; a failure to decode or read it is logged, and is a LOST. */
  Optional<StoreNotice<V>> await(ValueWatch<V> watch, String key, Duration timeout)
      throws InterruptedException {
    try {
      return watch.await(timeout);
    } catch (RuntimeException e) {
      failed("watch", key, e);
      return Optional.of(StoreNotice.lost());
    }
  }

  /** A remote store is skipped while the backend is known to be down (until the retry time). */
  private boolean reachable() {
    return !store.isRemote() || outage.allowsBackend();
  }

  private void failed(String operation, String key, RuntimeException e) {
    if (e instanceof LockBackendUnavailableException unavailable) {
      outage.failed(unavailable); // logged once per outage
    } else {
      RecipeLog.storeFailed(what, operation, key, e);
    }
  }
}
