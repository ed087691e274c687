package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory written by the old per-key layout (every name ever used kept {@code B.lock} in
 * format 1, {@code B.lock.released} and {@code B.guard}) keeps working: fences go on above every
 * old fence, an old holder stays held until it expires or is evicted, old evictions are still
 * reported, and the old files of a key are removed by its next acquisition or by a clear.
 */
class LocalLockBackendOldLayoutTest {

  private static final long LEASE = 30_000;
  private static final String RUN = "run-old";
  private static final LockKey FREE = LockKey.of(RUN, "climate.nodb");
  private static final LockKey HELD = LockKey.of(RUN, "landuse.nodb");
  private static final LockKey HALF = LockKey.of(RUN, "orphan.nodb");
  private static final LockKey NESTED = LockKey.of(RUN, "sub/dir.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private LocalLockBackend backend;
  private Path dir;

  /** Writes the files exactly as the old layout left them. */
  @BeforeEach
  void oldLayout() throws IOException {
    dir = Files.createDirectories(root.resolve(RUN).resolve(".nodb-locks"));
    long now = clock.millis();
    // a free key with fence 7, a recent eviction, and its guard
    write(
        "climate.nodb.lock",
        state("climate.nodb", 7, null, 0)
            .replace(
                "\"evicted\":[]",
                "\"evicted\":[{\"token\":\"old-victim\",\"reason\":\"FORCED\",\"atMillis\":"
                    + (now - 1_000)
                    + "}]"));
    write("climate.nodb.guard", "");
    // a key held by an old-layout process (lease still running), with its prepared release
    String holder = "old-holder|12|" + (now - 5_000) + "|60000|old-host|999|main";
    write("landuse.nodb.lock", state("landuse.nodb", 12, holder, now + 55_000));
    write("landuse.nodb.lock.released", state("landuse.nodb", 12, null, 0));
    write("landuse.nodb.guard", "");
    // a first acquisition that crashed after preparing: fence 20 only in the released file
    write("orphan.nodb.lock.released", state("orphan.nodb", 20, null, 0));
    write("orphan.nodb.guard", "");
    // a nested name with a leftover temp file
    write("sub%2Fdir.nodb.lock", state("sub/dir.nodb", 3, null, 0));
    write("sub%2Fdir.nodb.lock.tmp", "torn");
    write("sub%2Fdir.nodb.guard", "");
    write("audit.log", "");
    backend = new LocalLockBackend(root, clock);
  }

  @Test
  void anAcquisitionGoesOnAboveEveryOldFenceAndRemovesTheOldFilesOfItsKey() throws IOException {
    // the counter starts at the highest old fence of the directory (20), not at the key's (7)
    assertThat(acquire(FREE, "new")).isEqualTo(AcquireAttempt.acquired(21));

    assertThat(dir.resolve("climate.nodb.guard")).doesNotExist();
    assertThat(Files.readString(dir.resolve("climate.nodb.lock"))).contains("\"format\":2");
    assertThat(backend.release(FREE, "new").owned()).isTrue();
    assertThat(dir.resolve("climate.nodb.lock")).doesNotExist();
    // the eviction the old file recorded is still reported to its holder
    assertThat(backend.release(FREE, "old-victim").lossReason()).isEqualTo(LossReason.FORCED);
    assertThat(acquire(HALF, "new")).isEqualTo(AcquireAttempt.acquired(22));
  }

  @Test
  void anOldHolderStaysHeldIsListedAndIsForcedLikeAnyOther() throws IOException {
    AcquireAttempt refused = acquire(HELD, "new");

    assertThat(refused.acquired()).isFalse();
    assertThat(refused.holder().orElseThrow().fence()).isEqualTo(12);
    assertThat(backend.owner(HELD).orElseThrow().host()).isEqualTo("old-host");
    assertThat(backend.locks(RUN)).extracting(LockInfo::key).containsExactly(HELD);

    assertThat(backend.forceUnlock(HELD, "upgrade", "ops")).isPresent();

    assertThat(dir.resolve("landuse.nodb.lock")).doesNotExist();
    assertThat(dir.resolve("landuse.nodb.lock.released")).doesNotExist();
    assertThat(dir.resolve("landuse.nodb.guard")).doesNotExist();
    assertThat(backend.release(HELD, "old-holder").lossReason()).isEqualTo(LossReason.FORCED);
    assertThat(acquire(HELD, "new").fence()).isEqualTo(21);
    assertThat(backend.audit(RUN, 10)).hasSize(1);
  }

  @Test
  void aClearEvictsTheOldHolderAndLeavesOnlyTheNewLayoutsFiles() throws IOException {
    assertThat(backend.clearRun(RUN, "upgrade", "ops"))
        .extracting(LockInfo::key)
        .containsExactly(HELD);

    assertThat(names())
        .allMatch(
            n ->
                n.equals(LockPaths.COUNTER_FILE)
                    || n.equals(LockPaths.RUN_GUARD)
                    || n.equals(LockPaths.EVICTIONS_FILE)
                    || n.equals(LockPaths.AUDIT_FILE)
                    || (n.startsWith(LockPaths.STRIPE_PREFIX)
                        && n.endsWith(LockPaths.STRIPE_GUARD_SUFFIX)));
    assertThat(backend.locks(RUN)).isEmpty();
    // every key goes on above every fence it had
    long previous = 0;
    for (LockKey key : List.of(FREE, HELD, HALF, NESTED)) {
      long fence = acquire(key, "new").fence();
      assertThat(fence).isGreaterThan(20).isGreaterThan(previous);
      previous = fence;
    }
  }

  @Test
  void aListingOfAnOldRunRemovesNothing() throws IOException {
    Set<String> before = names();

    assertThat(backend.locks(RUN)).extracting(LockInfo::key).containsExactly(HELD);
    assertThat(backend.owner(FREE)).isEmpty();

    Set<String> added = names();
    assertThat(added).containsAll(before);
    added.removeAll(before);
    // only the guards of the stripes it read under
    assertThat(added)
        .isNotEmpty()
        .allMatch(
            n ->
                n.startsWith(LockPaths.STRIPE_PREFIX) && n.endsWith(LockPaths.STRIPE_GUARD_SUFFIX));
  }

  private AcquireAttempt acquire(LockKey key, String token) {
    return backend.tryAcquire(
        key, token, new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE));
  }

  private static String state(String name, long fence, String holder, long expires) {
    return "{\"format\":1,\"name\":\""
        + name
        + "\",\"fence\":"
        + fence
        + ",\"holder\":"
        + (holder == null ? "null" : "\"" + holder + "\"")
        + ",\"expiresAtMillis\":"
        + expires
        + ",\"evicted\":[]}";
  }

  private void write(String file, String content) throws IOException {
    Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
  }

  private Set<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return new HashSet<>(files.map(p -> p.getFileName().toString()).toList());
    }
  }
}
