package io.nodb.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The per-subclass singleton registry: one controller instance per (class, absolute run directory)
 * in this store.
 *
 * <p>Each class has a bounded Caffeine cache of strong references (the most recently used
 * instances) and an identity map of weak references. An instance evicted from the bounded cache
 * stays reachable through the weak map for as long as any caller holds it, so identity is stable
 * while an instance is in use, and memory is bounded by the cache size plus what callers hold.
 *
 * <p>The first load of a key is done by one thread while the others wait on a per-key {@link
 * ReentrantLock} (held weakly, so the lock map does not grow). Thread-safe; {@link #clear()} is for
 * tests.
 */
final class InstanceRegistry {

  private final long maxPerClass;
  private final Map<Class<?>, PerClass> classes = new ConcurrentHashMap<>();

  InstanceRegistry(long maxPerClass) {
    this.maxPerClass = maxPerClass;
  }

  private final class PerClass {
    final Cache<Path, NoDbBase<?>> recent = Caffeine.newBuilder().maximumSize(maxPerClass).build();
    final Cache<Path, NoDbBase<?>> identity = Caffeine.newBuilder().weakValues().build();
    final Cache<Path, ReentrantLock> loading = Caffeine.newBuilder().weakValues().build();

    NoDbBase<?> cached(Path runDir) {
      NoDbBase<?> c = recent.getIfPresent(runDir);
      if (c == null) {
        c = identity.getIfPresent(runDir);
        if (c != null) {
          recent.put(runDir, c);
        }
      }
      return c;
    }
  }

  /**
   * Returns the cached instance, or loads one with {@code loader} (once, while other threads for
   * the same key wait).
   */
  NoDbBase<?> get(Class<?> type, Path runDir, Function<Path, NoDbBase<?>> loader) {
    PerClass pc = classes.computeIfAbsent(type, t -> new PerClass());
    NoDbBase<?> c = pc.cached(runDir);
    if (c != null) {
      return c;
    }
    ReentrantLock lock = pc.loading.get(runDir, k -> new ReentrantLock());
    lock.lock();
    try {
      c = pc.cached(runDir);
      if (c == null) {
        c = loader.apply(runDir);
        pc.identity.put(runDir, c);
        pc.recent.put(runDir, c);
      }
      return c;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets one instance (a run that became read-only). */
  void evict(Class<?> type, Path runDir) {
    PerClass pc = classes.get(type);
    if (pc != null) {
      pc.recent.invalidate(runDir);
      pc.identity.invalidate(runDir);
    }
  }

  /** Returns how many instances are strongly cached for a class (for tests and status). */
  long strongSize(Class<?> type) {
    PerClass pc = classes.get(type);
    if (pc == null) {
      return 0;
    }
    pc.recent.cleanUp();
    return pc.recent.estimatedSize();
  }

  /** Forgets every instance (tests). */
  void clear() {
    classes.clear();
  }
}
