package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import io.nodb.lock.internal.TokenDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLockBackendTest {

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private LocalLockBackend backend;

  @BeforeEach
  void setUp() {
    backend = new LocalLockBackend(root, clock);
  }

  private OwnerStamp stamp(long leaseMillis) {
    return new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), leaseMillis);
  }

  private AcquireAttempt acquire(LockKey key, String token) {
    return backend.tryAcquire(key, token, stamp(LEASE));
  }

  @Test
  void acquiresAFreeLockReportsTheHolderWhenContendedAndFreesItOnRelease() {
    assertThat(acquire(KEY, "token-a")).isEqualTo(AcquireAttempt.acquired(1));

    AcquireAttempt contended = acquire(KEY, "token-b");
    assertThat(contended.acquired()).isFalse();
    assertThat(contended.fence()).isEqualTo(-1);
    LockInfo holder = contended.holder().orElseThrow();
    assertThat(holder.key()).isEqualTo(KEY);
    assertThat(holder.tokenDigest()).isEqualTo(TokenDigest.of("token-a"));
    assertThat(holder.host()).isEqualTo("host-a");
    assertThat(holder.pid()).isEqualTo(4242);
    assertThat(holder.thread()).isEqualTo("worker-1");
    assertThat(holder.fence()).isEqualTo(1);
    assertThat(holder.lease()).isEqualTo(Duration.ofMillis(LEASE));
    assertThat(holder.ttlLeft()).isEqualTo(Duration.ofMillis(LEASE));
    assertThat(backend.owner(KEY)).contains(holder);

    assertThat(backend.release(KEY, "token-a")).isEqualTo(OwnershipResult.ownedByCaller());
    assertThat(backend.owner(KEY)).isEmpty();
    assertThat(acquire(KEY, "token-b")).isEqualTo(AcquireAttempt.acquired(2));
  }

  @Test
  void fenceStrictlyIncreasesAcrossAcquisitionsAndSurvivesReleaseForceAndNewInstances() {
    for (int i = 1; i <= 5; i++) {
      assertThat(acquire(KEY, "t" + i).fence()).isEqualTo(i);
      assertThat(backend.release(KEY, "t" + i).owned()).isTrue();
    }
    acquire(KEY, "t6");
    backend.forceUnlock(KEY, "test", "tester");

    LocalLockBackend other = new LocalLockBackend(root, clock);
    assertThat(other.tryAcquire(KEY, "t7", stamp(LEASE)).fence()).isEqualTo(7);
  }

  @Test
  void anExpiredHolderCountsAsAbsentAndItsTokenLearnsItExpired() {
    assertThat(backend.tryAcquire(KEY, "old", stamp(1_000)).acquired()).isTrue();

    clock.advance(Duration.ofMillis(999));
    AcquireAttempt stillHeld = acquire(KEY, "new");
    assertThat(stillHeld.acquired()).isFalse();
    assertThat(stillHeld.holder().orElseThrow().ttlLeft()).isEqualTo(Duration.ofMillis(1));

    clock.advance(Duration.ofMillis(1));
    assertThat(backend.owner(KEY)).isEmpty();
    assertThat(backend.locks("run-1")).isEmpty();
    OwnershipResult released = backend.release(KEY, "old");
    assertThat(released.outcome()).isEqualTo(ReleaseOutcome.ALREADY_EXPIRED);
    assertThat(released.lossReason()).isEqualTo(LossReason.EXPIRED);
    assertThat(backend.extend(KEY, "old", LEASE))
        .isEqualTo(OwnershipResult.lost(LossReason.EXPIRED));

    assertThat(acquire(KEY, "new")).isEqualTo(AcquireAttempt.acquired(2));
  }

  @Test
  void aStaleTokenCannotReleaseOrExtendTheNewOwnersLock() {
    backend.tryAcquire(KEY, "old", stamp(1_000));
    clock.advance(Duration.ofMillis(1_000));
    assertThat(acquire(KEY, "new").acquired()).isTrue();

    OwnershipResult released = backend.release(KEY, "old");
    assertThat(released.outcome()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(released.lossReason()).isEqualTo(LossReason.TAKEN_OVER);
    assertThat(backend.extend(KEY, "old", LEASE))
        .isEqualTo(OwnershipResult.lost(LossReason.TAKEN_OVER));
    // a token that is a prefix of the holder's must not pass the owner check either
    assertThat(backend.release(KEY, "ne").owned()).isFalse();

    assertThat(backend.owner(KEY).orElseThrow().tokenDigest()).isEqualTo(TokenDigest.of("new"));
    assertThat(backend.owner(KEY).orElseThrow().ttlLeft()).isEqualTo(Duration.ofMillis(LEASE));
    assertThat(backend.release(KEY, "new").owned()).isTrue();
  }

  @Test
  void extendResetsTheExpiryFromNow() {
    backend.tryAcquire(KEY, "a", stamp(1_000));
    clock.advance(Duration.ofMillis(900));

    assertThat(backend.extend(KEY, "a", 1_000)).isEqualTo(OwnershipResult.ownedByCaller());
    clock.advance(Duration.ofMillis(900));

    assertThat(backend.owner(KEY).orElseThrow().ttlLeft()).isEqualTo(Duration.ofMillis(100));
    assertThat(acquire(KEY, "b").acquired()).isFalse();
    clock.advance(Duration.ofMillis(100));
    assertThat(acquire(KEY, "b").acquired()).isTrue();
  }

  @Test
  void forceUnlockEvictsTheHolderAuditsItAndTellsTheEvictedTokenWhy() throws IOException {
    acquire(KEY, "victim-token");

    LockInfo previous = backend.forceUnlock(KEY, "stuck job", "ops@host:1").orElseThrow();

    assertThat(previous.tokenDigest()).isEqualTo(TokenDigest.of("victim-token"));
    assertThat(previous.fence()).isEqualTo(1);
    assertThat(backend.owner(KEY)).isEmpty();
    OwnershipResult released = backend.release(KEY, "victim-token");
    assertThat(released.outcome()).isEqualTo(ReleaseOutcome.NOT_OWNER);
    assertThat(released.lossReason()).isEqualTo(LossReason.FORCED);
    assertThat(backend.extend(KEY, "victim-token", LEASE))
        .isEqualTo(OwnershipResult.lost(LossReason.FORCED));

    List<String> audit = auditLines("run-1");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0)).doesNotContain("victim-token");
    JsonNode line = new ObjectMapper().readTree(audit.get(0));
    assertThat(line.path("op").asText()).isEqualTo("force");
    assertThat(line.path("at").asText()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(line.path("run").asText()).isEqualTo("run-1");
    assertThat(line.path("name").asText()).isEqualTo("climate.nodb");
    assertThat(line.path("reason").asText()).isEqualTo("stuck job");
    assertThat(line.path("actor").asText()).isEqualTo("ops@host:1");
    JsonNode owner = line.path("previous");
    assertThat(owner.path("tokenDigest").asText()).isEqualTo(TokenDigest.of("victim-token"));
    assertThat(owner.path("host").asText()).isEqualTo("host-a");
    assertThat(owner.path("pid").asLong()).isEqualTo(4242);
    assertThat(owner.path("fence").asLong()).isEqualTo(1);

    assertThat(backend.forceUnlock(KEY, "again", "ops")).isEmpty();
    assertThat(auditLines("run-1")).hasSize(1);
    assertThat(acquire(KEY, "next")).isEqualTo(AcquireAttempt.acquired(2));
  }

  @Test
  void anEvictionIsForgottenAfterTheRetentionAndThenReadsAsExpiry() {
    acquire(KEY, "victim");
    backend.forceUnlock(KEY, "test", "tester");

    clock.advance(Duration.ofMillis(EvictionLog.RETENTION_MILLIS));

    assertThat(backend.release(KEY, "victim").lossReason()).isEqualTo(LossReason.EXPIRED);
  }

  @Test
  void clearRunEvictsEveryHolderOfThatRunOnlyInNameOrder() throws IOException {
    LockKey b = LockKey.of("run-1", "b/c.nodb");
    LockKey a = LockKey.of("run-1", "a.nodb");
    LockKey free = LockKey.of("run-1", "free.nodb");
    LockKey otherRun = LockKey.of("run-2", "a.nodb");
    acquire(b, "tb");
    acquire(a, "ta");
    acquire(free, "tf");
    backend.release(free, "tf");
    acquire(otherRun, "to");

    List<LockInfo> cleared = backend.clearRun("run-1", "reset", "tester");

    assertThat(cleared).extracting(LockInfo::key).containsExactly(a, b);
    assertThat(backend.locks("run-1")).isEmpty();
    assertThat(backend.release(a, "ta")).isEqualTo(OwnershipResult.lost(LossReason.CLEARED));
    assertThat(backend.extend(b, "tb", LEASE)).isEqualTo(OwnershipResult.lost(LossReason.CLEARED));
    assertThat(backend.owner(otherRun).orElseThrow().tokenDigest()).isEqualTo(TokenDigest.of("to"));

    ObjectMapper json = new ObjectMapper();
    List<String> audit = auditLines("run-1");
    assertThat(audit).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode line = json.readTree(audit.get(i));
      assertThat(line.path("op").asText()).isEqualTo("clear");
      assertThat(line.path("reason").asText()).isEqualTo("reset");
      assertThat(line.path("name").asText()).isEqualTo(cleared.get(i).key().name());
    }
    assertThat(root.resolve("run-2/.nodb-locks/audit.log")).doesNotExist();
  }

  @Test
  void locksListsTheLiveHoldersOfARunByName() {
    LockKey z = LockKey.of("run-1", "z.nodb");
    LockKey m = LockKey.of("run-1", "m/n.nodb");
    LockKey expired = LockKey.of("run-1", "expired.nodb");
    LockKey released = LockKey.of("run-1", "a-released.nodb");
    acquire(z, "tz");
    acquire(m, "tm");
    backend.tryAcquire(expired, "te", stamp(10));
    acquire(released, "tr");
    backend.release(released, "tr");
    acquire(LockKey.of("run-10", "other.nodb"), "tx");
    clock.advance(Duration.ofMillis(10));

    assertThat(backend.locks("run-1")).extracting(LockInfo::key).containsExactly(m, z);
  }

  @Test
  void aMissingRunHasNoLocksAndIsNotCreatedByReads() {
    LockKey key = LockKey.of("never", "x.nodb");

    assertThat(backend.locks("never")).isEmpty();
    assertThat(backend.clearRun("never", "r", "a")).isEmpty();
    assertThat(backend.owner(key)).isEmpty();
    assertThat(backend.forceUnlock(key, "r", "a")).isEmpty();
    assertThat(root.resolve("never")).doesNotExist();
  }

  @Test
  void runWideOperationsRejectAnInvalidRunId() {
    assertThatThrownBy(() -> backend.locks("../escape")).isInstanceOf(InvalidRunIdException.class);
    assertThatThrownBy(() -> backend.clearRun("a/b", "r", "a"))
        .isInstanceOf(InvalidRunIdException.class);
  }

  @Test
  void aNameWithSlashesIsOneFileInTheRunsLockDirectory() {
    LockKey nested = LockKey.of("run-1", "sub/dir/state.nodb");

    assertThat(acquire(nested, "t").acquired()).isTrue();

    Path lockDir = root.resolve("run-1/.nodb-locks");
    assertThat(lockDir.resolve("sub%2Fdir%2Fstate.nodb.lock")).isRegularFile();
    assertThat(lockDir.resolve("sub")).doesNotExist();
    assertThat(backend.locks("run-1")).extracting(LockInfo::key).containsExactly(nested);
    assertThat(backend.release(nested, "t").owned()).isTrue();
  }

  @Test
  void aVeryLongNameIsStoredUnderAShortenedFileNameAndListedByItsFullName() {
    String segment = "s".repeat(50);
    String name = String.join("/", segment, segment, segment, segment, "state.nodb");
    LockKey longKey = LockKey.of("run-1", name);

    assertThat(acquire(longKey, "t").acquired()).isTrue();

    assertThat(backend.locks("run-1")).extracting(LockInfo::key).containsExactly(longKey);
    assertThat(backend.release(longKey, "t").owned()).isTrue();
  }

  @Test
  void twoInstancesOnOneRunsRootExcludeEachOther() {
    LocalLockBackend other = new LocalLockBackend(root, clock);

    assertThat(acquire(KEY, "mine").acquired()).isTrue();
    AcquireAttempt theirs = other.tryAcquire(KEY, "theirs", stamp(LEASE));
    assertThat(theirs.acquired()).isFalse();
    assertThat(theirs.holder().orElseThrow().tokenDigest()).isEqualTo(TokenDigest.of("mine"));

    assertThat(other.release(KEY, "theirs").owned()).isFalse();
    assertThat(backend.release(KEY, "mine").owned()).isTrue();
    assertThat(other.tryAcquire(KEY, "theirs", stamp(LEASE))).isEqualTo(AcquireAttempt.acquired(2));
  }

  @Test
  void awaitReleaseReturnsWithinTheGivenBound() throws InterruptedException {
    acquire(KEY, "held");

    backend.awaitRelease(KEY, 0, 0);
    backend.awaitRelease(KEY, Duration.ofMillis(1).toNanos(), Integer.MAX_VALUE);
    backend.awaitRelease(LockKey.of("no-such-run", "x.nodb"), 1_000, 3);

    assertThat(backend.owner(KEY)).isPresent();
  }

  @Test
  void pingMeasuresARoundTripInTheRunsRoot() {
    LocalLockBackend fresh = new LocalLockBackend(root.resolve("not/yet"), clock);

    assertThat(fresh.ping().isNegative()).isFalse();
    assertThat(root.resolve("not/yet")).isDirectory();
    assertThat(fresh.describe()).isEqualTo("local:" + root.resolve("not/yet").toAbsolutePath());
  }

  @Test
  void aRunsRootThatIsARegularFileMakesEveryOperationFailTyped() throws IOException {
    Path file = Files.writeString(root.resolve("plain-file"), "not a directory");
    LocalLockBackend broken = new LocalLockBackend(file, clock);

    assertThatThrownBy(broken::ping)
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("ping")
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> broken.tryAcquire(KEY, "t", stamp(LEASE)))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("acquire");
    assertThatCode(broken::close).doesNotThrowAnyException();
  }

  @Test
  void aCorruptStateFileIsReportedAsUnavailableNamingTheFile() throws IOException {
    acquire(KEY, "t");
    Path state = root.resolve("run-1/.nodb-locks/climate.nodb.lock");
    Files.writeString(state, "garbage");

    assertThatThrownBy(() -> backend.release(KEY, "t"))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("release")
        .hasMessageContaining("climate.nodb.lock")
        .hasCauseInstanceOf(IOException.class);
  }

  private List<String> auditLines(String runId) throws IOException {
    return Files.readAllLines(
        root.resolve(runId).resolve(".nodb-locks/audit.log"), StandardCharsets.UTF_8);
  }
}
