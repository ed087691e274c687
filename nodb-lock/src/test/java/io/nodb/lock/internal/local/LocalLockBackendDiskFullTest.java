package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** The local backend on a disk that has no space left (simulated by {@link FullDisk}). */
class LocalLockBackendDiskFullTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final FullDisk disk = new FullDisk();
  private LocalLockBackend backend;
  private LocalLockBackend otherClient;

  @BeforeEach
  void setUp() {
    backend = new LocalLockBackend(root, clock, disk);
    otherClient = new LocalLockBackend(root, clock, disk);
  }

  private OwnerStamp stamp() {
    return new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE);
  }

  private Path lockDir() {
    return root.resolve("run-1/.nodb-locks");
  }

  @Test
  void aReleaseOnAFullDiskFreesTheLockSoTheNextClientGetsItAtOnce() throws IOException {
    assertThat(backend.tryAcquire(KEY, "first", stamp())).isEqualTo(AcquireAttempt.acquired(1));
    disk.fill();

    OwnershipResult released = backend.release(KEY, "first");

    assertThat(released.outcome()).isEqualTo(ReleaseOutcome.RELEASED);
    assertThat(otherClient.owner(KEY)).isEmpty();
    disk.free();
    assertThat(otherClient.tryAcquire(KEY, "second", stamp()))
        .isEqualTo(AcquireAttempt.acquired(2));
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void anAcquireOnAFullDiskFailsTypedHoldsNothingAndLeavesNoTemporaryFile() throws IOException {
    backend.tryAcquire(KEY, "first", stamp());
    backend.release(KEY, "first");
    disk.fill();

    assertThatThrownBy(() -> otherClient.tryAcquire(KEY, "second", stamp()))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("acquire")
        .hasMessageContaining("No space left on device");

    assertThat(disk.refusedWrites()).isPositive();
    assertThat(tempFiles()).isEmpty();
    assertThat(otherClient.owner(KEY)).isEmpty();
    disk.free();
    assertThat(otherClient.tryAcquire(KEY, "second", stamp()))
        .isEqualTo(AcquireAttempt.acquired(2));
  }

  @Test
  void aLiftedFenceIsKeptByARenamingRelease() {
    backend.tryAcquire(KEY, "first", stamp());
    assertThat(backend.liftFence(KEY, "first", 100)).isEqualTo(101);
    disk.fill();

    assertThat(backend.release(KEY, "first").owned()).isTrue();

    disk.free();
    assertThat(otherClient.tryAcquire(KEY, "second", stamp()))
        .isEqualTo(AcquireAttempt.acquired(102));
  }

  @Test
  void anExtendOnAFullDiskFailsTypedAndTheHolderCanStillRelease() throws IOException {
    backend.tryAcquire(KEY, "first", stamp());
    disk.fill();

    assertThatThrownBy(() -> backend.extend(KEY, "first", LEASE))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("No space left on device");
    assertThat(tempFiles()).isEmpty();

    assertThat(backend.release(KEY, "first").outcome()).isEqualTo(ReleaseOutcome.RELEASED);
    disk.free();
    assertThat(otherClient.tryAcquire(KEY, "second", stamp()).fence()).isEqualTo(2);
  }

  @Test
  void forceAndClearOnAFullDiskStillFreeTheLock() throws IOException {
    LockKey other = LockKey.of("run-1", "landuse.nodb");
    backend.tryAcquire(KEY, "victim", stamp());
    backend.tryAcquire(other, "victim-2", stamp());
    disk.fill();

    assertThat(backend.forceUnlock(KEY, "disk full", "ops")).isPresent();
    assertThat(backend.clearRun("run-1", "disk full", "ops"))
        .extracting(info -> info.key())
        .containsExactly(other);

    assertThat(backend.locks("run-1")).isEmpty();
    assertThat(backend.release(KEY, "victim").owned()).isFalse();
    assertThat(backend.extend(other, "victim-2", LEASE).lossReason()).isEqualTo(LossReason.EXPIRED);
    assertThat(tempFiles()).isEmpty();
    disk.free();
    // both keys draw from the run's one counter (1 and 2 so far)
    assertThat(otherClient.tryAcquire(KEY, "next", stamp()).fence()).isEqualTo(3);
    assertThat(otherClient.tryAcquire(other, "next", stamp()).fence()).isEqualTo(4);
    // the audit lines go to the ERROR log instead of the full disk
    logs.expect(Level.ERROR, "recording here instead: force lock run-1/climate.nodb held by")
        .from(LocalLockBackend.class.getName())
        .times(1);
    logs.expect(Level.ERROR, "recording here instead: clear lock run-1/landuse.nodb held by")
        .from(LocalLockBackend.class.getName())
        .times(1);
    logs.expect(Level.WARN, "cannot record the force of lock run-1/climate.nodb")
        .from(LocalLockBackend.class.getName())
        .times(1);
    logs.expect(Level.WARN, "cannot record the clear of lock run-1/landuse.nodb")
        .from(LocalLockBackend.class.getName())
        .times(1);
  }

  @Test
  void aFenceRaisedInPlaceByAnotherToolIsFoldedIntoTheCounterBeforeTheReleaseDeletesIt()
      throws IOException {
    backend.tryAcquire(KEY, "first", stamp());
    // another tool (the fault kit) raises the fence in the state file, holder kept: the release
    // must raise the run's counter before deleting the only record of fence 5
    Path state = lockDir().resolve("climate.nodb.lock");
    String edited =
        Files.readString(state, StandardCharsets.UTF_8)
            .replace("\"fence\":1", "\"fence\":5")
            .replace("first|1|", "first|5|");
    Files.writeString(state, edited, StandardCharsets.UTF_8);

    assertThat(backend.release(KEY, "first").owned()).isTrue();

    assertThat(state).doesNotExist();
    assertThat(otherClient.tryAcquire(KEY, "second", stamp()))
        .isEqualTo(AcquireAttempt.acquired(6));
  }

  @Test
  void aReleaseOnAFullDiskLeavesNoFileOfTheReleasedName() throws IOException {
    backend.tryAcquire(KEY, "first", stamp());
    disk.fill();

    assertThat(backend.release(KEY, "first").owned()).isTrue();

    try (Stream<Path> files = Files.list(lockDir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              LockPaths.COUNTER_FILE,
              LockPaths.RUN_GUARD,
              LockPaths.stripeGuard(lockDir(), LockPaths.stripe("climate.nodb"))
                  .getFileName()
                  .toString());
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(lockDir())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
