package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Links planted in a run directory (user data: uploads, unpacked archives) never make the local
 * backend read, write, create, lock or chmod anything outside the run: every file outside is
 * byte-identical with the same mode afterwards, and the operation fails typed naming the link (or,
 * for a stale temporary file, replaces the link without touching its target).
 */
class LocalLockBackendSymlinkTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");
  private static final String VICTIM_STATE =
      "{\"format\":1,\"name\":\"climate.nodb\",\"fence\":41,\"holder\":null,"
          + "\"expiresAtMillis\":0,\"evicted\":[]}";

  @TempDir Path base;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private Path runs;
  private Path outside;
  private Path lockDir;
  private LocalLockBackend backend;
  private Map<String, String> before;

  @BeforeEach
  void setUp() throws IOException {
    runs = Files.createDirectory(base.resolve("runs"));
    outside = Files.createDirectory(base.resolve("outside"));
    Path victimDir = Files.createDirectory(outside.resolve("dir"));
    Files.writeString(victimDir.resolve("climate.nodb.lock"), VICTIM_STATE);
    Files.writeString(victimDir.resolve("audit.log"), "precious\n");
    Files.writeString(outside.resolve("victim"), VICTIM_STATE);
    Files.setPosixFilePermissions(
        outside.resolve("victim"), PosixFilePermissions.fromString("r--r-----"));
    lockDir = runs.resolve("run-1/.nodb-locks");
    backend = new LocalLockBackend(runs, clock);
    before = snapshot(outside);
  }

  @AfterEach
  void nothingOutsideTheRunChanged() throws IOException {
    assertThat(snapshot(outside)).isEqualTo(before);
  }

  @Test
  void aLinkedLockDirectoryIsRefusedByEveryOperation() throws IOException {
    Files.createDirectories(runs.resolve("run-1"));
    Files.createSymbolicLink(lockDir, outside.resolve("dir"));

    everyKeyOperationIsRefused(lockDir);
    assertRefused(() -> backend.locks("run-1"), lockDir);
    assertRefused(() -> backend.clearRun("run-1", "r", "a"), lockDir);
    assertRefused(() -> backend.audit("run-1", 10), lockDir);
    assertThatCode(() -> backend.awaitRelease(KEY, 1_000_000, 0)).doesNotThrowAnyException();
  }

  @Test
  void aDanglingLinkedLockDirectoryIsRefusedAndItsTargetNeverCreated() throws IOException {
    Files.createDirectories(runs.resolve("run-1"));
    Files.createSymbolicLink(lockDir, outside.resolve("not-yet"));

    assertRefused(() -> acquire("t"), lockDir);
    assertRefused(() -> backend.owner(KEY), lockDir);
    assertRefused(() -> backend.forceUnlock(KEY, "r", "a"), lockDir);
    assertRefused(() -> backend.locks("run-1"), lockDir);
    assertThat(outside.resolve("not-yet")).doesNotExist();
  }

  @Test
  void aLinkedGuardFileIsRefusedAndNeverLockedOrCreated() throws IOException {
    assertThat(acquire("holder").acquired()).isTrue();
    Path guard = stripeGuard();
    Files.delete(guard);
    Files.createSymbolicLink(guard, outside.resolve("victim"));

    everyKeyOperationIsRefused(guard);

    Files.delete(guard);
    Files.createSymbolicLink(guard, outside.resolve("created-through-link"));
    assertRefused(() -> acquire("t"), guard);
    assertThat(outside.resolve("created-through-link")).doesNotExist();
  }

  @Test
  void aLinkedStateFileIsRefusedAndSkippedByListings() throws IOException {
    assertThat(acquire("holder").acquired()).isTrue();
    Path state = lockDir.resolve("climate.nodb.lock");
    Files.delete(state);
    Files.createSymbolicLink(state, outside.resolve("victim"));

    everyKeyOperationIsRefused(state);
    assertThat(backend.locks("run-1")).isEmpty();
    assertThat(backend.clearRun("run-1", "r", "a")).isEmpty();
    assertThat(Files.isSymbolicLink(state)).isTrue();
    // once per listing
    logs.expect(Level.WARN, "ignoring symbolic link " + state + " (never followed)")
        .from(LocalLockBackend.class.getName())
        .times(2);
  }

  @Test
  void aLinkedAuditLogIsRefusedAndTheLockStaysHeld() throws IOException {
    assertThat(acquire("holder").acquired()).isTrue();
    Path audit = lockDir.resolve("audit.log");
    Files.createSymbolicLink(audit, outside.resolve("victim"));

    assertRefused(() -> backend.forceUnlock(KEY, "r", "a"), audit);
    assertRefused(() -> backend.clearRun("run-1", "r", "a"), audit);
    assertRefused(() -> backend.audit("run-1", 10), audit);
    assertThat(backend.owner(KEY)).isPresent();
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
  }

  @Test
  void aFifoAtTheGuardIsRefusedInsteadOfBlockingEveryLocker() throws Exception {
    assertThat(acquire("holder").acquired()).isTrue();
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
    Path guard = stripeGuard();
    Files.delete(guard);
    mkfifo(guard);
    // a hang detector with a generous bound, not a timing measurement
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThatThrownBy(() -> acquire("other"))
                .isInstanceOf(LockBackendUnavailableException.class)
                .hasMessageContaining("not a regular file"));
  }

  @Test
  void aFifoAtTheFenceCounterOrTheRunGuardIsRefusedInsteadOfBlockingEveryLocker() throws Exception {
    assertThat(acquire("holder").acquired()).isTrue();
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
    for (String name : new String[] {LockPaths.COUNTER_FILE, LockPaths.RUN_GUARD}) {
      Path fifo = lockDir.resolve(name);
      Files.delete(fifo);
      mkfifo(fifo);
      // a hang detector with a generous bound, not a timing measurement
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(() -> acquire("other"))
                  .as(name)
                  .isInstanceOf(LockBackendUnavailableException.class)
                  .hasMessageContaining("not a regular file"));
      Files.delete(fifo);
    }
    assertThat(acquire("other").acquired()).isTrue();
  }

  @Test
  void aFifoOrAHardLinkAtTheAuditLogNeitherBlocksAForceNorIsAppendedTo() throws Exception {
    Path audit = lockDir.resolve("audit.log");
    assertThat(acquire("holder").acquired()).isTrue();
    mkfifo(audit);
    // the force still frees the lock (the audit line goes to the ERROR log instead) without
    // blocking on the FIFO; a hang detector with a generous bound
    assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> assertThat(backend.forceUnlock(KEY, "r", "a")).isPresent());
    Files.delete(audit);
    assertThat(acquire("holder").acquired()).isTrue();
    Files.createLink(audit, outside.resolve("dir").resolve("audit.log"));
    assertThat(backend.forceUnlock(KEY, "r", "a")).isPresent();
    // nothingOutsideTheRunChanged: the hard-linked file outside was not appended to
    logs.expect(
            Level.ERROR, "cannot append to audit log " + audit + " (java.io.IOException: refusing")
        .from(LocalLockBackend.class.getName())
        .times(2);
  }

  private static void mkfifo(Path path) throws Exception {
    assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor())
        .isZero();
  }

  @Test
  void aStaleTemporaryFileThatIsALinkIsReplacedWithoutTouchingItsTarget() throws IOException {
    Files.createDirectories(lockDir);
    Path temp = LockPaths.stripeTemp(lockDir, LockPaths.stripe("climate.nodb"));
    Path counterTemp = lockDir.resolve(LockPaths.COUNTER_TEMP);
    Path evictionsTemp = lockDir.resolve(LockPaths.EVICTIONS_TEMP);
    Files.createSymbolicLink(temp, outside.resolve("victim"));
    Files.createSymbolicLink(counterTemp, outside.resolve("victim"));

    assertThat(acquire("holder")).isEqualTo(AcquireAttempt.acquired(1));
    Files.createSymbolicLink(temp, outside.resolve("victim"));
    assertThat(backend.extend(KEY, "holder", LEASE).owned()).isTrue();
    Files.createSymbolicLink(temp, outside.resolve("created-through-link"));
    Files.createSymbolicLink(counterTemp, outside.resolve("created-through-link"));
    assertThat(backend.liftFence(KEY, "holder", 5)).isEqualTo(6);
    Files.createSymbolicLink(evictionsTemp, outside.resolve("victim"));
    assertThat(backend.forceUnlock(KEY, "r", "a")).isPresent();

    assertThat(temp).doesNotExist();
    assertThat(counterTemp).doesNotExist();
    assertThat(evictionsTemp).doesNotExist();
    assertThat(outside.resolve("created-through-link")).doesNotExist();
  }

  @Test
  void aLinkedFenceCounterIsRefusedByEveryAcquisitionAndNeverFollowed() throws IOException {
    assertThat(acquire("holder")).isEqualTo(AcquireAttempt.acquired(1));
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
    Path counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    Files.delete(counter);
    Files.createSymbolicLink(counter, outside.resolve("victim"));

    assertRefused(() -> acquire("t"), counter);
    assertRefused(
        () -> backend.tryAcquire(LockKey.of("run-1", "other.nodb"), "t", stamp()), counter);
    assertThat(backend.owner(KEY)).isEmpty();
    assertThat(Files.isSymbolicLink(counter)).isTrue();
  }

  @Test
  void aLinkedEvictionRecordIsRefusedByAForceAndTheLockStaysHeld() throws IOException {
    assertThat(acquire("holder").acquired()).isTrue();
    Path evictions = lockDir.resolve(LockPaths.EVICTIONS_FILE);
    Files.createSymbolicLink(evictions, outside.resolve("victim"));

    assertRefused(() -> backend.forceUnlock(KEY, "r", "a"), evictions);
    assertThat(backend.owner(KEY)).isPresent();
    // a loss reason is only advisory: an unreadable record means "expired or taken over"
    assertThat(backend.release(KEY, "someone-else").lossReason()).isEqualTo(LossReason.TAKEN_OVER);
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
  }

  @Test
  void aLinkedRunDirectoryIsStillFollowedAsTheRunsRootMayBeArrangedThatWay() throws IOException {
    Path realRun = Files.createDirectory(base.resolve("elsewhere"));
    Files.createSymbolicLink(runs.resolve("run-1"), realRun);

    assertThat(acquire("holder").acquired()).isTrue();

    assertThat(realRun.resolve(".nodb-locks/climate.nodb.lock")).isRegularFile();
    assertThat(backend.release(KEY, "holder").owned()).isTrue();
  }

  /** Every operation on {@link #KEY} fails typed, naming {@code link}. */
  private void everyKeyOperationIsRefused(Path link) {
    assertRefused(() -> acquire("t"), link);
    assertRefused(() -> backend.owner(KEY), link);
    assertRefused(() -> backend.release(KEY, "holder"), link);
    assertRefused(() -> backend.extend(KEY, "holder", LEASE), link);
    assertRefused(() -> backend.liftFence(KEY, "holder", 100), link);
    assertRefused(() -> backend.forceUnlock(KEY, "r", "a"), link);
  }

  private static void assertRefused(ThrowingCallable call, Path link) {
    assertThatThrownBy(call)
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("refusing to follow symlink " + link);
  }

  private AcquireAttempt acquire(String token) {
    return backend.tryAcquire(KEY, token, stamp());
  }

  private OwnerStamp stamp() {
    return new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE);
  }

  /** The guard file of {@link #KEY}'s stripe. */
  private Path stripeGuard() {
    return LockPaths.stripeGuard(lockDir, LockPaths.stripe(LockPaths.base(KEY.name())));
  }

  /** Every path below {@code dir} with its type, mode and content. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      all.forEach(
          p -> {
            try {
              String mode =
                  PosixFilePermissions.toString(
                      Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
              String content =
                  Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                      ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
                      : "<dir>";
              out.put(dir.relativize(p).toString(), mode + " " + content);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    return out;
  }
}
