package io.nodb.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.ReleaseOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shutdown hook does, called directly: every handle still held is released and its renewal
 * stopped; released handles and closed clients are not touched. (The hook itself, on a SIGTERM of a
 * worker JVM, is tested in {@code ShutdownReleaseIT}.)
 */
class ShutdownReleaseTest {

  @TempDir Path runsRoot;

  @Test
  void everyHandleStillHeldIsReleasedAndTheLocksAreFree() {
    try (LockClient a = LockClient.builder().local(runsRoot).build();
        LockClient b = LockClient.builder().local(runsRoot).build();
        LockClient other = LockClient.builder().local(runsRoot).build()) {
      LockHandle a1 = a.tryAcquire(LockKey.of("run-1", "climate.nodb")).orElseThrow();
      LockHandle a2 = a.tryAcquire(LockKey.of("run-1", "landuse.nodb")).orElseThrow();
      LockHandle b1 = b.tryAcquire(LockKey.of("run-2", "climate.nodb")).orElseThrow();
      LockHandle done = b.tryAcquire(LockKey.of("run-2", "soils.nodb")).orElseThrow();
      assertThat(done.release()).isEqualTo(ReleaseOutcome.RELEASED);

      Map<ReleaseOutcome, Integer> outcomes =
          ShutdownRelease.releaseAll(
              List.of((DefaultLockClient) a, (DefaultLockClient) b), ShutdownRelease.BOUND);

      assertThat(outcomes).containsExactly(Map.entry(ReleaseOutcome.RELEASED, 3));
      for (LockHandle h : List.of(a1, a2, b1)) {
        assertThat(h.isValid()).as("%s", h).isFalse();
        assertThat(h.toString()).endsWith(" released]");
      }
      assertThat(other.admin().locks("run-1")).isEmpty();
      assertThat(other.admin().locks("run-2")).isEmpty();
      assertThat(other.tryAcquire(LockKey.of("run-1", "climate.nodb"))).isPresent();
    }
  }

  @Test
  void nothingHeldMeansNothingToDo() {
    try (LockClient a = LockClient.builder().local(runsRoot).build()) {
      assertThat(ShutdownRelease.releaseAll(List.of((DefaultLockClient) a), ShutdownRelease.BOUND))
          .isEmpty();
    }
  }
}
