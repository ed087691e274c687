package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
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

/**
 * Foreign or corrupt entries in a run's lock directory do not break the run: listings skip them,
 * force and clear move a corrupt state file aside (never deleting it) and the key goes on with a
 * fence above the ones it handed out.
 */
class LocalLockBackendCorruptEntriesTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");
  private static final LockKey GOOD = LockKey.of("run-1", "landuse.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private LocalLockBackend backend;
  private Path lockDir;

  private static final String BACKEND = LocalLockBackend.class.getName();

  @BeforeEach
  void setUp() {
    backend = new LocalLockBackend(root, clock);
    lockDir = root.resolve("run-1/.nodb-locks");
  }

  @Test
  void listingsSkipCorruptAndForeignEntriesAndClearRepairsTheCorruptOnes() throws IOException {
    acquire(GOOD, "good");
    Files.writeString(lockDir.resolve("junk.lock"), "garbage");
    Files.createDirectory(lockDir.resolve("a-directory.lock"));
    Files.writeString(lockDir.resolve("readme.txt"), "unrelated");

    assertThat(backend.locks("run-1")).extracting(LockInfo::key).containsExactly(GOOD);
    assertThat(backend.clearRun("run-1", "reset", "ops"))
        .extracting(LockInfo::key)
        .containsExactly(GOOD);

    assertThat(lockDir.resolve("junk.lock")).doesNotExist();
    List<Path> aside = corruptCopies("junk.lock");
    assertThat(aside).hasSize(1);
    assertThat(aside.get(0)).hasContent("garbage");
    assertThat(aside.get(0).getFileName().toString())
        .isEqualTo("junk.lock.corrupt-" + clock.millis());
    assertThat(lockDir.resolve("a-directory.lock")).isDirectory();
    assertThat(lockDir.resolve("readme.txt")).hasContent("unrelated");
    assertThat(backend.locks("run-1")).isEmpty();
    // each of the three listings reports the directory, the first two the junk, clear moves it
    logs.expect(Level.WARN, "skipping unreadable entry " + lockDir.resolve("a-directory.lock"))
        .from(BACKEND)
        .times(3);
    logs.expect(Level.WARN, "skipping corrupt lock state " + lockDir.resolve("junk.lock"))
        .from(BACKEND)
        .times(2);
    logs.expect(Level.WARN, "moved corrupt lock state " + lockDir.resolve("junk.lock") + " aside")
        .from(BACKEND)
        .times(1);
  }

  @Test
  void forceUnlockMovesACorruptStateAsideAndTheKeyGoesOnAboveItsOldFence() throws IOException {
    for (int i = 1; i <= 3; i++) {
      assertThat(acquire(KEY, "t" + i).fence()).isEqualTo(i);
      if (i < 3) {
        backend.release(KEY, "t" + i);
      }
    }
    Path state = lockDir.resolve("climate.nodb.lock");
    Files.writeString(state, "{\"format\":1,\"name\":\"climate.nodb\",\"fe");
    assertThatThrownBy(() -> acquire(KEY, "t4"))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("corrupt lock state");

    assertThat(backend.forceUnlock(KEY, "repair", "ops")).isEmpty();

    assertThat(corruptCopies("climate.nodb.lock")).hasSize(1);
    assertThat(acquire(KEY, "t4")).isEqualTo(AcquireAttempt.acquired(4));
    logs.expect(Level.WARN, "moved corrupt lock state " + state + " aside").from(BACKEND).times(1);
  }

  @Test
  void aCorruptStateWithoutPreparedFileRestartsTheKeyAfterMovingItAside() throws IOException {
    acquire(KEY, "t1");
    backend.release(KEY, "t1");
    Files.writeString(lockDir.resolve("climate.nodb.lock"), "garbage");

    assertThat(backend.forceUnlock(KEY, "repair", "ops")).isEmpty();

    // the old fence is unreadable: the key restarts, and the store lifts it above its files' fences
    assertThat(corruptCopies("climate.nodb.lock")).hasSize(1);
    assertThat(acquire(KEY, "t2").acquired()).isTrue();
    logs.expect(Level.WARN, "moved corrupt lock state " + lockDir.resolve("climate.nodb.lock"))
        .from(BACKEND)
        .times(1);
  }

  @Test
  void aCorruptFenceCounterFailsAcquisitionsTypedUntilAClearMovesItAsideAndRestartsItAboveTheHeld()
      throws IOException {
    assertThat(acquire(GOOD, "good").fence()).isEqualTo(1);
    assertThat(acquire(KEY, "k").fence()).isEqualTo(2);
    backend.release(KEY, "k");
    Path counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    Files.writeString(counter, "{\"format\":2,\"fence\":\"lots\"}");

    assertThatThrownBy(() -> acquire(KEY, "k2"))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("corrupt fence counter")
        .hasMessageContaining(counter.toString());

    assertThat(backend.clearRun("run-1", "repair", "ops"))
        .extracting(LockInfo::key)
        .containsExactly(GOOD);

    assertThat(corruptCopies(LockPaths.COUNTER_FILE)).hasSize(1);
    // restarted from the highest fence still recorded (the held GOOD's 1): KEY's 2 is unknown now,
    // which is why fenced store files are lifted above their own fence
    assertThat(acquire(KEY, "k2").fence()).isEqualTo(2);
    logs.expect(Level.WARN, "moved corrupt fence counter " + counter + " aside")
        .from(BACKEND)
        .times(1);
  }

  @Test
  void aCorruptFenceCounterDoesNotKeepAHolderFromReleasingAndFencesDoNotGoBelowTheReleasedOne()
      throws IOException {
    assertThat(acquire(GOOD, "good").fence()).isEqualTo(1);
    assertThat(acquire(KEY, "k").fence()).isEqualTo(2);
    Path counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    Files.writeString(counter, "{\"format\":2,\"fence\":\"lots\"}");

    assertThat(backend.release(KEY, "k").owned()).isTrue();

    assertThat(backend.owner(KEY)).isEmpty();
    assertThat(corruptCopies(LockPaths.COUNTER_FILE)).hasSize(1);
    // repaired from the state files while KEY's was still there: its fence 2 is covered
    assertThat(acquire(KEY, "k2").fence()).isEqualTo(3);
    logs.expect(Level.WARN, "moved corrupt fence counter " + counter + " aside")
        .from(BACKEND)
        .times(1);
  }

  @Test
  void aForcedUnlockFreesAKeyDespiteACorruptCounterAndRepairsIt() throws IOException {
    assertThat(acquire(GOOD, "good").fence()).isEqualTo(1);
    assertThat(acquire(KEY, "k").fence()).isEqualTo(2);
    Path counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    Files.writeString(counter, "not json at all");

    assertThat(backend.forceUnlock(KEY, null, "stuck", "ops")).isPresent();

    assertThat(backend.owner(KEY)).isEmpty();
    assertThat(acquire(KEY, "k2").fence()).as("never below the evicted holder's").isEqualTo(3);
    assertThat(backend.owner(GOOD)).as("other holders untouched").isPresent();
    logs.expect(Level.WARN, "moved corrupt fence counter " + counter + " aside")
        .from(BACKEND)
        .times(1);
  }

  @Test
  void aForcedUnlockOfAFreeKeyRepairsACorruptCounterSoAcquisitionsWorkAgain() throws IOException {
    acquire(GOOD, "good");
    Path counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    Files.writeString(counter, "{\"format\":2,\"fence\":-4}");
    assertThatThrownBy(() -> acquire(KEY, "k"))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("corrupt fence counter");

    assertThat(backend.forceUnlock(KEY, null, "repair", "ops")).isEmpty();

    assertThat(acquire(KEY, "k").fence()).isEqualTo(2);
    logs.expect(Level.WARN, "moved corrupt fence counter " + counter + " aside")
        .from(BACKEND)
        .times(1);
  }

  @Test
  void aCounterWithTrailingJsonOrDuplicateKeysIsCorrupt() throws IOException {
    acquire(GOOD, "good");
    Path counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    for (String bad :
        List.of(
            "{\"format\":2,\"fence\":1}{\"format\":2,\"fence\":0}",
            "{\"format\":2,\"fence\":1} 7",
            "{\"format\":2,\"fence\":9,\"fence\":1}")) {
      Files.writeString(counter, bad);
      assertThatThrownBy(() -> acquire(KEY, "k"))
          .as(bad)
          .isInstanceOf(LockBackendUnavailableException.class)
          .hasMessageContaining("corrupt");
    }
  }

  @Test
  void aStateFileWithTrailingJsonOrDuplicateKeysIsCorruptNotHalfRead() throws IOException {
    assertThat(acquire(KEY, "k").fence()).isEqualTo(1);
    Path state = lockDir.resolve("climate.nodb.lock");
    assertThat(state).exists();
    String good = Files.readString(state);
    Files.writeString(state, good + "{\"format\":2}");
    assertThatThrownBy(() -> backend.owner(KEY))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("corrupt lock state");
    Files.writeString(state, good.replace("\"fence\":1", "\"fence\":1,\"fence\":0"));
    assertThatThrownBy(() -> backend.owner(KEY))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("corrupt lock state");
  }

  @Test
  void expiriesSaturateInsteadOfWrappingIntoThePast() {
    acquire(KEY, "k");
    assertThat(backend.extend(KEY, "k", Long.MAX_VALUE).owned()).isTrue();
    assertThat(backend.owner(KEY)).as("a wrapped expiry would look free").isPresent();
    assertThat(backend.releaseHolding(KEY, "k", Long.MAX_VALUE).owned()).isTrue();
    assertThat(backend.owner(KEY)).isPresent();
    assertThat(LocalLockBackend.expiresAt(Long.MAX_VALUE - 1, 5)).isEqualTo(Long.MAX_VALUE);
    assertThat(LocalLockBackend.expiresAt(Long.MIN_VALUE + 1, -5)).isEqualTo(Long.MIN_VALUE);
    assertThat(LocalLockBackend.expiresAt(1_000, 5)).isEqualTo(1_005);
  }

  private List<Path> corruptCopies(String stateFileName) throws IOException {
    try (Stream<Path> files = Files.list(lockDir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(stateFileName + ".corrupt-"))
          .toList();
    }
  }

  private AcquireAttempt acquire(LockKey key, String token) {
    return backend.tryAcquire(
        key, token, new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE));
  }
}
