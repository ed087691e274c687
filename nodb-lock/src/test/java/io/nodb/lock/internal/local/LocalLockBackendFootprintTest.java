package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a run's lock directory are bounded by what is held: names that were released,
 * forced, cleared or expired leave nothing behind, only the run's fixed files remain (exact counts,
 * not timings), while every key's fences keep increasing.
 */
class LocalLockBackendFootprintTest {

  private static final long LEASE = 30_000;
  private static final String RUN = "ns-single-flight";

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private LocalLockBackend backend;

  @BeforeEach
  void setUp() {
    backend = new LocalLockBackend(root, clock);
  }

  @Test
  void tenThousandDistinctNamesAcquiredAndReleasedLeaveOnlyTheRunsFixedFiles() throws IOException {
    int n = 10_000;
    long last = 0;
    for (int i = 0; i < n; i++) {
      LockKey key = LockKey.of(RUN, "image/" + i + ".sha");
      AcquireAttempt attempt = backend.tryAcquire(key, "t" + i, stamp());
      assertThat(attempt.acquired()).as("acquire %s", key).isTrue();
      assertThat(attempt.fence()).isGreaterThan(last);
      last = attempt.fence();
      assertThat(backend.release(key, "t" + i).owned()).isTrue();
    }

    assertThat(last).isEqualTo(n);
    // the counter, the run guard and every one of the 64 stripe guards, nothing per name
    assertThat(files()).isEqualTo(fixedFiles()).hasSize(2 + LockPaths.STRIPES);
    // a released name starts above every fence the run handed out
    assertThat(backend.tryAcquire(LockKey.of(RUN, "image/0.sha"), "again", stamp()).fence())
        .isEqualTo(n + 1);
  }

  @Test
  void forcedClearedAndExpiredNamesLeaveNoFileEitherAndTheirHoldersLearnWhy() throws IOException {
    List<LockKey> keys =
        Stream.iterate(0, i -> i + 1).limit(30).map(i -> LockKey.of(RUN, "job-" + i)).toList();
    for (LockKey key : keys) {
      assertThat(backend.tryAcquire(key, "holder-" + key.name(), stamp()).acquired()).isTrue();
    }
    // ten forced, ten left to expire, ten cleared (the clear also removes the expired ones' files)
    for (LockKey key : keys.subList(0, 10)) {
      assertThat(backend.forceUnlock(key, "stuck", "ops")).isPresent();
    }
    LocalLockBackend shortLeases = new LocalLockBackend(root, clock);
    for (LockKey key : keys.subList(10, 20)) {
      assertThat(backend.release(key, "holder-" + key.name()).owned()).isTrue();
      assertThat(shortLeases.tryAcquire(key, "brief-" + key.name(), stamp(1_000)).acquired())
          .isTrue();
    }
    clock.advance(Duration.ofSeconds(2));

    List<LockInfo> cleared = backend.clearRun(RUN, "reset", "ops");

    assertThat(cleared)
        .extracting(LockInfo::key)
        .containsExactlyInAnyOrderElementsOf(keys.subList(20, 30));
    Set<String> expected = fixedFiles();
    expected.add(LockPaths.EVICTIONS_FILE);
    expected.add(LockPaths.AUDIT_FILE);
    assertThat(files()).isSubsetOf(expected).contains(LockPaths.EVICTIONS_FILE);
    assertThat(backend.locks(RUN)).isEmpty();
    assertThat(backend.release(keys.get(0), "holder-job-0").lossReason())
        .isEqualTo(LossReason.FORCED);
    assertThat(backend.release(keys.get(10), "brief-job-10").lossReason())
        .isEqualTo(LossReason.EXPIRED);
    assertThat(backend.extend(keys.get(29), "holder-job-29", LEASE).lossReason())
        .isEqualTo(LossReason.CLEARED);
    assertThat(backend.tryAcquire(keys.get(10), "next", stamp()).fence()).isEqualTo(41);
  }

  private Set<String> fixedFiles() {
    Set<String> fixed = new HashSet<>();
    fixed.add(LockPaths.COUNTER_FILE);
    fixed.add(LockPaths.RUN_GUARD);
    for (int s = 0; s < LockPaths.STRIPES; s++) {
      fixed.add(LockPaths.stripeGuard(lockDir(), s).getFileName().toString());
    }
    return fixed;
  }

  private Set<String> files() throws IOException {
    try (Stream<Path> files = Files.list(lockDir())) {
      return new HashSet<>(files.map(p -> p.getFileName().toString()).toList());
    }
  }

  private Path lockDir() {
    return root.resolve(RUN).resolve(LockPaths.LOCK_DIR);
  }

  private OwnerStamp stamp() {
    return stamp(LEASE);
  }

  private OwnerStamp stamp(long lease) {
    return new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), lease);
  }
}
