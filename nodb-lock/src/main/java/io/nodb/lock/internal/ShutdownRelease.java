package io.nodb.lock.internal;

import io.nodb.lock.ReleaseOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases every handle still held when the JVM shuts down (SIGTERM, SIGINT, {@code System.exit}),
 * so a stopped worker does not keep its locks for the rest of their leases. One shutdown hook for
 * the JVM, registered with the first client that asks for it; clients leave the set when they are
 * closed. The releases run in parallel and are bounded by {@link #BOUND}: what has not answered by
 * then is left to expire, and the log says so. Thread-safe.
 */
final class ShutdownRelease {

  /** How long the hook waits for the releases in all. */
  static final Duration BOUND = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.lock");
  private static final Set<DefaultLockClient> CLIENTS = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private ShutdownRelease() {}

  /** Adds a client whose held handles the hook releases; registers the hook once. */
  static void register(DefaultLockClient client) {
    CLIENTS.add(client);
    if (HOOKED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(() -> releaseAll(CLIENTS, BOUND), "nodb-lock-shutdown-release"));
      } catch (IllegalStateException shuttingDown) {
        LOG.warn("[LOCK] the JVM is already shutting down: held locks will not be released by it");
      }
    }
  }

  /** Removes a closed client. */
  static void unregister(DefaultLockClient client) {
    CLIENTS.remove(client);
  }

  /**
   * Releases every handle held by the clients, in parallel, waiting at most {@code bound}.
   *
   * @param clients the clients (the hook passes the registered ones)
   * @param bound the time allowed for all releases
   * @return the outcomes by kind; handles that did not answer in time count as {@code
   *     BACKEND_ERROR}
   */
  static Map<ReleaseOutcome, Integer> releaseAll(
      Collection<DefaultLockClient> clients, Duration bound) {
    List<DefaultLockHandle> held = new ArrayList<>();
    for (DefaultLockClient c : clients) {
      held.addAll(c.liveHandles());
    }
    Map<ReleaseOutcome, Integer> outcomes = new EnumMap<>(ReleaseOutcome.class);
    if (held.isEmpty()) {
      return outcomes;
    }
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(held.size(), 16),
            r -> {
              Thread t = new Thread(r, "nodb-lock-shutdown-release-worker");
              t.setDaemon(true);
              return t;
            });
    List<String> late = new ArrayList<>();
    try {
      List<Future<ReleaseOutcome>> futures = new ArrayList<>();
      for (DefaultLockHandle h : held) {
        futures.add(pool.submit(h::release));
      }
      for (int i = 0; i < held.size(); i++) {
        ReleaseOutcome out;
        try {
          out = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          late.add(held.get(i).key() + " fence " + held.get(i).fence());
          out = ReleaseOutcome.BACKEND_ERROR;
        } catch (java.util.concurrent.ExecutionException e) {
          out = ReleaseOutcome.BACKEND_ERROR;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out = ReleaseOutcome.BACKEND_ERROR;
        }
        outcomes.merge(out, 1, Integer::sum);
      }
    } finally {
      pool.shutdownNow();
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (late.isEmpty()) {
      LOG.info("[LOCK] shutdown: released {} held lock(s) in {} ms: {}", held.size(), ms, outcomes);
    } else {
      LOG.warn(
          "[LOCK] shutdown: released {} of {} held lock(s) in {} ms; {} did not answer within {} ms"
              + " and will expire with their lease: {}",
          held.size() - late.size(),
          held.size(),
          ms,
          late.size(),
          bound.toMillis(),
          late);
    }
    return outcomes;
  }
}
