package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.FenceLimitException;
import io.nodb.lock.Fences;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.LockHandles;
import io.nodb.lock.internal.OwnerStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fences stay within {@link Fences#MAX}; nothing overflows, and the key stays usable. */
class LocalLockBackendFenceBoundTest {

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private LocalLockBackend backend;

  @BeforeEach
  void setUp() {
    backend = new LocalLockBackend(root, clock);
  }

  @Test
  void theBoundIsTheLargestIntegerADoubleHoldsExactly() {
    assertThat(Fences.MAX).isEqualTo(9_007_199_254_740_991L);
    assertThat((long) (double) Fences.MAX).isEqualTo(Fences.MAX);
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 1, Fences.MAX, Fences.MAX + 1})
  void aLiftPastTheBoundFailsTypedAndChangesNothing(long floor) {
    assertThat(acquire("holder")).isEqualTo(AcquireAttempt.acquired(1));

    assertThatThrownBy(() -> backend.liftFence(KEY, "holder", floor))
        .isInstanceOf(FenceLimitException.class)
        .hasMessageContaining(Long.toString(floor))
        .hasMessageContaining(Long.toString(Fences.MAX));

    assertThat(backend.owner(KEY).orElseThrow().fence()).isEqualTo(1);
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
    assertThat(acquire("next")).isEqualTo(AcquireAttempt.acquired(2));
  }

  @Test
  void aLiftUpToTheBoundWorksAndThenAcquisitionsFailTypedInsteadOfOverflowing() {
    acquire("holder");

    assertThat(backend.liftFence(KEY, "holder", Fences.MAX - 1)).isEqualTo(Fences.MAX);
    assertThat(backend.release(KEY, "holder").owned()).isTrue();

    assertThatThrownBy(() -> acquire("next"))
        .isInstanceOf(FenceLimitException.class)
        .hasMessageContaining("acquire")
        .hasMessageContaining(Long.toString(Fences.MAX));
    assertThat(backend.owner(KEY)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"9007199254740992", "-1", "9223372036854775807", "1e300", "1.5"})
  void aStateFileWithAFenceOutsideTheRangeIsReportedCorrupt(String fence) throws IOException {
    Path dir = Files.createDirectories(root.resolve("run-1/.nodb-locks"));
    Files.writeString(
        dir.resolve("climate.nodb.lock"),
        "{\"format\":1,\"name\":\"climate.nodb\",\"fence\":"
            + fence
            + ",\"holder\":null,\"expiresAtMillis\":0,\"evicted\":[]}");

    assertThatThrownBy(() -> acquire("t"))
        .isInstanceOf(io.nodb.lock.LockBackendUnavailableException.class)
        .hasMessageContaining("corrupt lock state")
        .hasMessageContaining("climate.nodb.lock");
  }

  @Test
  void aHandleRefusedAHugeLiftStaysHeldAndTheKeyStaysUsable() {
    try (LockClient client = LockClient.builder().local(root).build()) {
      LockHandle handle = client.acquire(KEY, Duration.ofSeconds(30), Duration.ofSeconds(5));

      assertThatThrownBy(() -> LockHandles.liftFence(handle, Long.MAX_VALUE))
          .isInstanceOf(FenceLimitException.class)
          .hasMessageContaining(Long.toString(Fences.MAX));

      assertThat(handle.isValid()).isTrue();
      assertThat(handle.fence()).isEqualTo(1);
      assertThat(handle.release()).isEqualTo(ReleaseOutcome.RELEASED);
      try (LockHandle next = client.acquire(KEY, Duration.ofSeconds(30), Duration.ofSeconds(5))) {
        assertThat(next.fence()).isEqualTo(2);
      }
    }
  }

  private AcquireAttempt acquire(String token) {
    return backend.tryAcquire(
        KEY, token, new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE));
  }
}
