package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockKey;
import io.nodb.lock.internal.OwnerStamp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads contending for one key, through one backend or two on the same runs root: the
 * critical sections never overlap and no increment of an unsynchronized counter is lost.
 */
class LocalLockBackendMutualExclusionTest {

  private static final int THREADS = 8;
  private static final int ITERATIONS = 200;
  private static final LockKey KEY = LockKey.of("race", "counter.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger maxInside = new AtomicInteger();
  private int unsafeCounter;

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  @Test
  void threadsOfOneBackendNeverOverlap() throws Exception {
    LocalLockBackend backend = new LocalLockBackend(root, clock);

    race(List.of(backend));

    assertThat(backend.tryAcquire(KEY, "after", stamp()).fence())
        .isEqualTo(THREADS * ITERATIONS + 1);
  }

  @Test
  void threadsOfTwoBackendsOnOneRunsRootNeverOverlap() throws Exception {
    LocalLockBackend first = new LocalLockBackend(root, clock);
    LocalLockBackend second = new LocalLockBackend(root, clock);

    race(List.of(first, second));

    assertThat(second.tryAcquire(KEY, "after", stamp()).fence())
        .isEqualTo(THREADS * ITERATIONS + 1);
  }

  private void race(List<LocalLockBackend> backends) throws Exception {
    CountDownLatch startGate = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      LocalLockBackend backend = backends.get(t % backends.size());
      String worker = "w" + t;
      workers.add(
          pool.submit(
              () -> {
                startGate.await();
                for (int i = 0; i < ITERATIONS; i++) {
                  criticalSection(backend, worker + "-" + i);
                }
                return null;
              }));
    }
    startGate.countDown();
    for (Future<?> w : workers) {
      w.get(2, TimeUnit.MINUTES); // rethrows the first failure of that worker
    }

    assertThat(maxInside.get()).isEqualTo(1);
    assertThat(unsafeCounter).isEqualTo(THREADS * ITERATIONS);
  }

  private void criticalSection(LocalLockBackend backend, String token) throws InterruptedException {
    int attempt = 0;
    while (!backend.tryAcquire(KEY, token, stamp()).acquired()) {
      backend.awaitRelease(KEY, Duration.ofMillis(50).toNanos(), attempt++);
    }
    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    unsafeCounter++;
    inside.decrementAndGet();
    assertThat(backend.release(KEY, token).owned()).isTrue();
  }

  private OwnerStamp stamp() {
    return new OwnerStamp("host", 1, Thread.currentThread().getName(), clock.millis(), 30_000);
  }
}
