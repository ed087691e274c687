package io.nodb.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.InvalidRunIdException;
import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbStoreBuilder;
import io.nodb.store.NoDbUnsafePathException;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.Fragile;
import io.nodb.testing.controllers.Nested;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store's safety contract: the defects an independent attack found, each as a regression test
 * written once and run per lock backend — acknowledged writes kept when a file is repaired,
 * restored or created again under a cached instance (lineage); every {@code Throwable} releases the
 * lock; nothing is written, read or created through a link planted in a run; special and huge files
 * are typed errors that neither block nor exhaust memory; files that are not exactly one strict
 * UTF-8 envelope are corrupt and never rewritten.
 *
 * <p>Each fault case checks the same three things: nothing outside the run changed, nothing inside
 * was lost, and the lock is free afterwards. Not thread-safe; JUnit creates one instance per test.
 */
public abstract class StoreSafetyContract {

  /** The log events of each test: the WARN/ERROR logs it expects are asserted, not printed. */
  @RegisterExtension protected final LogCapture logs = new LogCapture();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The runs root of this test. */
  @TempDir protected Path runsRoot;

  /** A directory outside every run, for link targets ("victims"). */
  @TempDir protected Path outside;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** Returns a new lock client for the backend under test, for runs under {@code runsRoot}. */
  protected abstract LockClient newLockClient(Path runsRoot);

  /** Returns a run id no other test uses. */
  protected abstract String newRunId();

  /** Builds a store (standing for one process) on a new lock client; closed after the test. */
  protected NoDbStore store() {
    return store(NoDbStore.builder());
  }

  private NoDbStore store(NoDbStoreBuilder builder) {
    LockClient client = newLockClient(runsRoot);
    NoDbStore store = builder.lockClient(client).lockWait(Duration.ofSeconds(20)).build();
    closeables.add(store);
    closeables.add(client);
    return store;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /**
   * Deletes the links the test planted in its runs (never following them), as JUnit's temp-dir
   * cleanup would, but without its warning for every link that leads out of the temp dir.
   */
  @AfterEach
  void removePlantedLinks() throws IOException {
    List<Path> links = new ArrayList<>();
    Files.walkFileTree(
        runsRoot,
        new java.nio.file.SimpleFileVisitor<>() {
          @Override
          public java.nio.file.FileVisitResult visitFile(
              Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
            if (attributes.isSymbolicLink()) {
              links.add(file);
            }
            return java.nio.file.FileVisitResult.CONTINUE;
          }

          @Override
          public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
            // a directory a test made unreadable: JUnit's cleanup resets and deletes it
            return java.nio.file.FileVisitResult.CONTINUE;
          }
        });
    for (Path link : links) {
      Files.delete(link);
    }
  }

  private Path newRun(NoDbStore store) {
    Path run = runsRoot.resolve(newRunId());
    store.create(Counter.class, run, s -> s.label = "fresh");
    return run;
  }

  // ---------------------------------------------------------------- lineage (defect 1)

  /** How another process replaces the file a cached instance was read from. */
  public enum Replacement {
    /** {@code NoDbStore.repair}: a new file, version 1. */
    REPAIR,
    /** A backup of version 1 copied back over the file. */
    RESTORE_BACKUP,
    /** The file deleted and {@code create}d again. */
    DELETE_AND_CREATE
  }

  @ParameterizedTest
  @EnumSource(Replacement.class)
  void acknowledgedWritesSurviveWhenAnotherProcessReplacesTheFileUnderACachedInstance(
      Replacement how) throws IOException {
    NoDbStore p = store();
    NoDbStore q = store();
    Path run = newRun(p);
    Path file = run.resolve("counter.nodb");
    Path backup = outside.resolve("counter.nodb.v1");
    Files.copy(file, backup);
    Counter mine = p.getInstance(Counter.class, run);
    for (int i = 0; i < 4; i++) {
      String note = "p" + i;
      mine.locked(s -> s.notes.add(note));
    }
    assertThat(mine.version()).isEqualTo(5);

    switch (how) {
      case REPAIR -> q.repair(Counter.class, run, s -> s.label = "repaired");
      case RESTORE_BACKUP -> Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
      case DELETE_AND_CREATE -> {
        Files.delete(file);
        q.create(Counter.class, run, s -> s.label = "recreated");
      }
    }
    Counter theirs = q.getInstance(Counter.class, run);
    for (int i = 0; i < 4; i++) {
      String note = "q" + i;
      theirs.locked(s -> s.notes.add(note));
    }
    assertThat(theirs.version()).as("the same version number as the cached instance").isEqualTo(5);

    Counter again = p.getInstance(Counter.class, run);
    assertThat(again).isSameAs(mine);
    assertThat(again.state().notes)
        .as("the cached instance read the new file")
        .containsExactly("q0", "q1", "q2", "q3");
    again.locked(s -> s.notes.add("p-after"));

    JsonNode onDisk = JSON.readTree(file.toFile());
    List<String> notes = new ArrayList<>();
    onDisk.at("/state/notes").forEach(n -> notes.add(n.asText()));
    assertThat(notes).containsExactly("q0", "q1", "q2", "q3", "p-after");
    assertThat(onDisk.at("/nodb/version").asLong()).isEqualTo(6);
  }

  @Test
  void aReplacedFileGetsANewLineageAndEveryDumpKeepsIt() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    String lineage = JSON.readTree(file.toFile()).at("/nodb/lineage").asText();
    assertThat(lineage).matches("[0-9a-f]{32}");
    store.getInstance(Counter.class, run).increment();
    assertThat(JSON.readTree(file.toFile()).at("/nodb/lineage").asText()).isEqualTo(lineage);
    store.repair(Counter.class, run, s -> {});
    assertThat(JSON.readTree(file.toFile()).at("/nodb/lineage").asText())
        .matches("[0-9a-f]{32}")
        .isNotEqualTo(lineage);
  }

  @Test
  void aFileWithoutALineageGetsOneOnItsFirstDump() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ((ObjectNode) root.get("nodb")).remove("lineage");
    Files.write(file, JSON.writeValueAsBytes(root));
    store.clearCache();
    store.getInstance(Counter.class, run).increment();
    assertThat(JSON.readTree(file.toFile()).at("/nodb/lineage").asText()).matches("[0-9a-f]{32}");
    assertThat(store.getInstance(Counter.class, run).count()).isEqualTo(1);
  }

  @Test
  void aRepairNeverOverwritesAnEarlierCorruptCopy() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Files.writeString(file, "first corrupt");
    Path first = store.repair(Counter.class, run, s -> {});
    Files.writeString(file, "second corrupt");
    Path second = store.repair(Counter.class, run, s -> {});
    assertThat(second).isNotEqualTo(first);
    assertThat(Files.readString(first)).isEqualTo("first corrupt");
    assertThat(Files.readString(second)).isEqualTo("second corrupt");
  }

  // ---------------------------------------------------------------- Errors (defect 2)

  @Test
  void anErrorInTheBodyPropagatesUnchangedAndReleasesTheLock() {
    NoDbStore store = store();
    Path run = newRun(store);
    Counter c = store.getInstance(Counter.class, run);
    OutOfMemoryError error = new OutOfMemoryError("test: thrown by the body");
    Throwable thrown =
        catchThrowable(
            () ->
                c.locked(
                    s -> {
                      throw error;
                    }));
    assertThat(thrown).isSameAs(error);
    assertLockFree(store, run, c.lockKey());
    assertThat(c.count()).isZero();
  }

  @Test
  void anErrorWhileRefreshingUnderTheLockReleasesIt() throws IOException {
    NoDbStore store = store();
    Path run = runsRoot.resolve(newRunId());
    store.create(Fragile.class, run, s -> s.note = "fine");
    Fragile f = store.getInstance(Fragile.class, run);
    // the file is replaced by one whose reading throws an Error (as a 3 GiB file once did)
    Files.writeString(run.resolve("fragile.nodb"), "{\"py/object\": \"wepppy.Fragile\"}");

    assertThatThrownBy(() -> f.locked(s -> s.note = "never"))
        .isInstanceOf(OutOfMemoryError.class)
        .hasMessageContaining("migrating format 0");
    assertLockFree(store, run, f.lockKey());
  }

  @Test
  void anErrorWhileDumpingReleasesTheLockAndWritesNothing() throws IOException {
    NoDbStore store = store();
    Path run = runsRoot.resolve(newRunId());
    store.create(Fragile.class, run, s -> s.note = "fine");
    Fragile f = store.getInstance(Fragile.class, run);
    byte[] before = Files.readAllBytes(run.resolve("fragile.nodb"));

    assertThatThrownBy(
            () ->
                f.locked(
                    s -> {
                      s.note = "never";
                      s.failWrite = true;
                    }))
        .isInstanceOf(OutOfMemoryError.class)
        .hasMessageContaining("failWrite");
    assertLockFree(store, run, f.lockKey());
    assertThat(Files.readAllBytes(run.resolve("fragile.nodb"))).isEqualTo(before);
    assertThat(f.state().note).isEqualTo("fine");
  }

  // ---------------------------------------------------------------- links (defect 3)

  /** A link planted at one of the paths the store writes, reads or creates. */
  public enum PlantedLink {
    /** The fixed temp file of a dump. */
    TEMP_FILE(".counter.nodb.tmp"),
    /** The sidecar guard the writer locks. */
    GUARD_FILE(".counter.nodb.guard"),
    /** The controller file itself, leading out of the run. */
    CONTROLLER_FILE("counter.nodb");

    final String name;

    PlantedLink(String name) {
      this.name = name;
    }
  }

  @ParameterizedTest
  @EnumSource(PlantedLink.class)
  void aLinkPlantedInTheRunNeverWritesOutsideIt(PlantedLink planted) throws Exception {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Path victim = outside.resolve("victim");
    // the victim holds a valid envelope, so following the link would "work"
    Files.copy(file, victim);
    Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
    byte[] victimBytes = Files.readAllBytes(victim);
    byte[] fileBytes = Files.readAllBytes(file);
    Counter c = store.getInstance(Counter.class, run);
    Path link = run.resolve(planted.name);
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, victim);
    store.clearCache();

    Throwable thrown = catchThrowable(() -> store.getInstance(Counter.class, run).increment());

    assertThat(Files.readAllBytes(victim)).as("the victim outside the run").isEqualTo(victimBytes);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)))
        .isEqualTo("rw-------");
    switch (planted) {
      case TEMP_FILE -> {
        // a planted temp link is removed, never followed; the dump lands in the run
        assertThat(thrown).isNull();
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(store.getInstance(Counter.class, run).count()).isEqualTo(1);
      }
      case GUARD_FILE -> {
        assertThat(thrown)
            .isInstanceOf(NoDbUnsafePathException.class)
            .hasMessageContaining(link.toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(fileBytes);
      }
      case CONTROLLER_FILE -> {
        assertThat(thrown)
            .isInstanceOf(NoDbUnsafePathException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("leads out of the run");
        assertThat(Files.readSymbolicLink(file)).isEqualTo(victim);
      }
    }
    assertLockFree(store, run, c.lockKey());
  }

  @Test
  void aControllerFileLinkedInsideTheRunIsReadButNeverWrittenThrough() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Path real = Files.createDirectories(run.resolve("data")).resolve("counter-real.nodb");
    Files.move(file, real);
    Files.createSymbolicLink(file, Path.of("data", "counter-real.nodb"));
    byte[] realBytes = Files.readAllBytes(real);
    store.clearCache();

    Counter c = store.getInstance(Counter.class, run);
    assertThat(c.state().label).isEqualTo("fresh");
    assertThatThrownBy(c::increment)
        .isInstanceOf(NoDbUnsafePathException.class)
        .hasMessageContaining("symbolic link");
    assertThat(Files.readAllBytes(real)).isEqualTo(realBytes);
    assertThat(Files.isSymbolicLink(file)).isTrue();
    assertLockFree(store, run, c.lockKey());
  }

  @Test
  void aLinkedControllerSubdirectoryIsRefusedAndNothingIsCreatedOutside() throws IOException {
    NoDbStore store = store();
    Path run = Files.createDirectories(runsRoot.resolve(newRunId()));
    Path elsewhere = Files.createDirectories(outside.resolve("elsewhere"));
    Files.createSymbolicLink(run.resolve("sub"), elsewhere);

    assertThatThrownBy(() -> store.create(Nested.class, run, s -> s.label = "x"))
        .isInstanceOf(NoDbUnsafePathException.class)
        .hasMessageContaining(run.resolve("sub").toString());
    try (Stream<Path> left = Files.list(elsewhere)) {
      assertThat(left).as("files created outside the run").isEmpty();
    }
  }

  @Test
  void aLinkedSubdirectoryLeadingOutIsNotReadEither() throws IOException {
    NoDbStore store = store();
    Path run = Files.createDirectories(runsRoot.resolve(newRunId()));
    Path elsewhere = Files.createDirectories(outside.resolve("elsewhere"));
    Files.writeString(
        elsewhere.resolve("nested.nodb"),
        "{\"nodb\":{\"format\":1,\"type\":\"nested\",\"version\":1,\"fence\":1},\"state\":{}}");
    Files.createSymbolicLink(run.resolve("sub"), elsewhere);

    assertThatThrownBy(() -> store.getInstance(Nested.class, run))
        .isInstanceOf(NoDbUnsafePathException.class)
        .hasMessageContaining("leads out of the run");
  }

  // ---------------------------------------------------------------- special files (defect 4)

  /** A file that is not a small regular file, where the controller file should be. */
  public enum SpecialFile {
    /** A named pipe: opening it would block for good. */
    FIFO,
    /** A link to an endless device outside the run. */
    LINK_TO_DEV_URANDOM,
    /** A directory. */
    DIRECTORY,
    /** A 3 GiB sparse file. */
    HUGE_SPARSE
  }

  @ParameterizedTest
  @EnumSource(SpecialFile.class)
  void specialAndHugeFilesAreTypedErrorsThatNeitherBlockNorExhaustMemory(SpecialFile kind)
      throws Exception {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Counter cached = store.getInstance(Counter.class, run);
    Files.delete(file);
    switch (kind) {
      case FIFO -> {
        Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
      }
      case LINK_TO_DEV_URANDOM -> Files.createSymbolicLink(file, Path.of("/dev/urandom"));
      case DIRECTORY -> Files.createDirectory(file);
      case HUGE_SPARSE -> {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
          raf.setLength(3L << 30);
        }
      }
    }

    // a hang detector with a generous bound, not a timing measurement
    Throwable fresh =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> {
              NoDbStore other = store();
              return catchThrowable(() -> other.getInstance(Counter.class, run));
            });
    Throwable mutation =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> catchThrowable(cached::increment));

    for (Throwable t : List.of(fresh, mutation)) {
      assertThat(t).isInstanceOf(NoDbException.class).hasMessageContaining(file.toString());
      if (kind == SpecialFile.LINK_TO_DEV_URANDOM) {
        assertThat(t).isInstanceOf(NoDbUnsafePathException.class);
      } else {
        assertThat(t).isInstanceOf(NoDbCorruptFileException.class);
      }
    }
    if (kind == SpecialFile.HUGE_SPARSE) {
      assertThat(fresh).hasMessageContaining("3221225472 bytes").hasMessageContaining("limit");
      assertThat(Files.size(file)).isEqualTo(3L << 30);
    }
    assertLockFree(store, run, cached.lockKey());
  }

  @Test
  void theSizeLimitIsConfigurable() throws IOException {
    NoDbStore small = store(NoDbStore.builder().maxFileSize(64));
    Path run = runsRoot.resolve(newRunId());
    NoDbStore big = store();
    big.create(Counter.class, run, s -> s.label = "x".repeat(100));
    assertThatThrownBy(() -> small.getInstance(Counter.class, run))
        .isInstanceOf(NoDbCorruptFileException.class)
        .hasMessageContaining("limit of 64 bytes");
    assertThatThrownBy(() -> NoDbStore.builder().maxFileSize(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- strict files (defect 7)

  /** Valid envelopes made invalid in the ways the attack used; {@code E} is a valid envelope. */
  private static final String E =
      "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":1},"
          + "\"state\":{\"count\":5}}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        E + "garbage",
        E + "\n" + E,
        E + " {}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":1,\"version\":99},"
            + "\"state\":{\"count\":5}}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":1},"
            + "\"state\":{\"count\":5},\"state\":{\"count\":6}}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":1},"
            + "\"state\":{\"count\":5},\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":9,"
            + "\"fence\":1}}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":1},"
            + "\"state\":{\"count\":5,\"notes\":[{\"a\":1,\"a\":2}]}}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":9223372036854775807},"
            + "\"state\":{\"count\":5}}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":9007199254740992},"
            + "\"state\":{\"count\":5}}",
        "{\"nodb\":{\"format\":1,\"type\":\"counter\",\"version\":3,\"fence\":1,\"lineage\":7},"
            + "\"state\":{\"count\":5}}",
        "BOM",
        "UTF-16",
      })
  void filesThatAreNotExactlyOneStrictEnvelopeAreCorruptAndNeverRewritten(String content)
      throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Counter cached = store.getInstance(Counter.class, run);
    byte[] bytes =
        switch (content) {
          case "BOM" -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8(E));
          case "UTF-16" -> E.getBytes(StandardCharsets.UTF_16LE);
          default -> utf8(content);
        };
    Files.write(file, bytes);

    assertThatThrownBy(() -> store().getInstance(Counter.class, run))
        .isInstanceOf(NoDbCorruptFileException.class)
        .hasMessageContaining(file.toString());
    assertThatThrownBy(cached::increment).isInstanceOf(NoDbCorruptFileException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    assertLockFree(store, run, cached.lockKey());
  }

  @Test
  void aWriterWhoseBaseDidNotComeFromTheFileOnDiskIsRefused() throws IOException {
    NoDbStore store = store();
    Path run = newRun(store);
    Path file = run.resolve("counter.nodb");
    Counter c = store.getInstance(Counter.class, run);
    try (var scope = c.lock()) {
      scope.state().count = 42;
      // another file of the same version and size replaces it while we hold the lock
      ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
      ((ObjectNode) root.get("nodb")).put("lineage", "0".repeat(32));
      Path other = run.resolve("other");
      Files.write(other, JSON.writeValueAsBytes(root));
      Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      assertThatThrownBy(scope::commit).isInstanceOf(NoDbStaleWriteException.class);
    }
    assertThat(JSON.readTree(file.toFile()).at("/nodb/lineage").asText()).isEqualTo("0".repeat(32));
  }

  @Test
  void largeFilesTakeTheWritersPrefixPathAndStillCommitAndRefuseStaleWrites() throws IOException {
    NoDbStore store = store();
    Path run = runsRoot.resolve(newRunId());
    String big = "x".repeat(200_000); // the header check reads a 64 KiB prefix of such files
    store.create(Counter.class, run, s -> s.label = big);
    Counter c = store.getInstance(Counter.class, run);
    c.increment();
    c.increment();
    assertThat(store().getInstance(Counter.class, run).count()).isEqualTo(2);
    try (var scope = c.lock()) {
      scope.state().count = 99;
      NoDbStore other = store();
      Counter theirs = other.getInstance(Counter.class, run);
      Path file = run.resolve("counter.nodb");
      ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
      ((ObjectNode) root.get("nodb")).put("version", theirs.version() + 1);
      Files.write(file, JSON.writeValueAsBytes(root));
      assertThatThrownBy(scope::commit).isInstanceOf(NoDbStaleWriteException.class);
    }
  }

  @Test
  void createRefusesAnInvalidRunIdBeforeCreatingAnything() {
    NoDbStore store = store();
    Path bad = runsRoot.resolve("bad name");
    assertThatThrownBy(() -> store.create(Counter.class, bad, s -> {}))
        .isInstanceOf(InvalidRunIdException.class);
    assertThat(bad).doesNotExist();
  }

  // ---------------------------------------------------------------- helpers

  /** Asserts that the key can be taken at once (it was released, not leaked or renewed). */
  protected static void assertLockFree(NoDbStore store, Path run, LockKey key) {
    Optional<LockHandle> h = store.locks(run).tryAcquire(key);
    assertThat(h).as("lock %s is free", key).isPresent();
    h.get().close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
