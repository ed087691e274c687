package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.controllers.Climate;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LossReason;
import io.nodb.store.NoDbFileInfo.Diagnosis;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.legacy.LegacyFixtures;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public read-only inspection API ({@link NoDbFiles}, {@link NoDbFileInfo}) and the public
 * fenced write ({@link NoDbFileWriter}) on hostile files: every outcome is a diagnosis, nothing is
 * read outside the run, nothing blocks, nothing is read whole that is over the limit.
 */
class NoDbFilesTest {

  private static final long MAX = NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE;
  private static final ObjectMapper M = new ObjectMapper();

  @TempDir Path run;

  private static String counter(long version, long fence, String state) {
    return "{\"nodb\": {\"format\": 1, \"type\": \"counter\", \"version\": "
        + version
        + ", \"fence\": "
        + fence
        + ", \"writtenAt\": \"2026-01-02T03:04:05Z\", \"writer\": \"h:1\", \"lineage\": \""
        + "ab".repeat(16)
        + "\", \"controller\": \"io.nodb.testing.controllers.Counter\", \"future\": [1]},"
        + " \"state\": "
        + state
        + "}";
  }

  private Path write(String name, String content) throws Exception {
    Path file = run.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private NoDbFileInfo inRun(String name) {
    return NoDbFiles.inspect(run, name, MAX, Counter.TYPE);
  }

  @Test
  void aValidFileGivesItsHeaderStateAndController() throws Exception {
    byte[] content =
        Files.readAllBytes(
            write("counter.nodb", counter(7, 3, "{\"count\": 5, \"unknown\": true}")));

    NoDbFileInfo f = inRun("counter.nodb");

    assertThat(f.diagnosis()).isEqualTo(Diagnosis.VALID);
    assertThat(f.loadable()).isTrue();
    assertThat(f.reason()).isEmpty();
    assertThat(f.size()).isEqualTo(content.length);
    assertThat(f.content()).hasValue(content);
    assertThat(f.controller()).hasValue(Counter.TYPE);
    NoDbFileInfo.Header h = f.header().orElseThrow();
    assertThat(h.format()).isEqualTo(1);
    assertThat(h.type()).isEqualTo("counter");
    assertThat(h.version()).isEqualTo(7);
    assertThat(h.fence()).isEqualTo(3);
    assertThat(h.writtenAt()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(h.writer()).isEqualTo("h:1");
    assertThat(h.lineage()).isEqualTo("ab".repeat(16));
    assertThat(h.controller()).hasValue("io.nodb.testing.controllers.Counter");
    assertThat(h.legacyRecord()).isEmpty();
    assertThat(h.extra().fieldNames()).toIterable().containsExactly("controller", "future");
    assertThat(f.state().orElseThrow().path("count").asLong()).isEqualTo(5);
    assertThat(f.state().orElseThrow().path("unknown").asBoolean()).isTrue();
    // a lone file is checked against the registered owner of its name, too
    assertThat(NoDbFiles.inspect(run.resolve("counter.nodb"), MAX).controller())
        .hasValue(Counter.TYPE);
  }

  @Test
  void whatItReturnsIsACopy() throws Exception {
    write("counter.nodb", counter(1, 1, "{\"count\": 5}"));
    NoDbFileInfo f = inRun("counter.nodb");

    f.state().orElseThrow().put("count", 99);
    f.content().orElseThrow()[0] = 'X';
    f.header().orElseThrow().extra().put("controller", "evil");

    assertThat(f.state().orElseThrow().path("count").asLong()).isEqualTo(5);
    assertThat(f.content().orElseThrow()[0]).isEqualTo((byte) '{');
    assertThat(f.header().orElseThrow().controller())
        .hasValue("io.nodb.testing.controllers.Counter");
  }

  @Test
  void trailingJsonDuplicatesAndABomAreCorruptWithTheBytesRead() throws Exception {
    String env = counter(1, 1, "{\"count\": 5}");
    write("counter.nodb", env + " {}");
    NoDbFileInfo trailing = inRun("counter.nodb");
    assertThat(trailing.diagnosis()).isEqualTo(Diagnosis.CORRUPT);
    assertThat(trailing.reason().orElseThrow()).contains("Trailing token");
    assertThat(trailing.size()).isEqualTo(env.length() + 3);
    assertThat(trailing.header()).isEmpty();
    assertThat(trailing.loadable()).isFalse();

    write("counter.nodb", env.replace("\"count\": 5", "\"count\": 5, \"count\": 6"));
    assertThat(inRun("counter.nodb").reason().orElseThrow()).contains("Duplicate field 'count'");

    write("counter.nodb", "\ufeff" + env);
    assertThat(inRun("counter.nodb").reason().orElseThrow()).contains("byte order mark");

    write("counter.nodb", "");
    assertThat(inRun("counter.nodb").diagnosis()).isEqualTo(Diagnosis.CORRUPT);
  }

  @Test
  void aStateThatDoesNotFitTheControllerIsCorruptAndSaysWhere() throws Exception {
    write("counter.nodb", counter(1, 1, "{\"count\": [1, 2]}"));

    NoDbFileInfo f = inRun("counter.nodb");

    assertThat(f.diagnosis()).isEqualTo(Diagnosis.CORRUPT);
    assertThat(f.reason().orElseThrow())
        .startsWith("state does not fit CounterState at field 'state.count'");
    assertThat(f.header()).isPresent(); // the envelope itself was read
    // without a controller the envelope is all that is checked
    assertThat(NoDbFiles.inspect(run, "counter.nodb", MAX, null).diagnosis())
        .isEqualTo(Diagnosis.VALID);
  }

  @Test
  void anotherControllersFileIsTheWrongType() throws Exception {
    write("counter.nodb", counter(1, 1, "{}").replace("\"type\": \"counter\"", "\"type\": \"x\""));
    NoDbFileInfo other = inRun("counter.nodb");
    assertThat(other.diagnosis()).isEqualTo(Diagnosis.WRONG_TYPE);
    assertThat(other.reason().orElseThrow()).contains("'counter'").contains("'x'");
    assertThat(other.header().orElseThrow().type()).isEqualTo("x");

    // a tree's file under a typed controller's name
    write(
        "counter.nodb",
        counter(1, 1, "{}").replace("io.nodb.testing.controllers.Counter", TypeCheck.TREE));
    assertThat(inRun("counter.nodb").diagnosis()).isEqualTo(Diagnosis.WRONG_TYPE);

    // a typed controller's file read as a tree
    write("sub/counter.nodb", counter(1, 1, "{}"));
    assertThat(NoDbFiles.inspect(run, "sub/counter.nodb", MAX, null).diagnosis())
        .isEqualTo(Diagnosis.VALID); // no owner: checked as an envelope of its own type
  }

  @Test
  void legacyFilesArePlannedByTheStoresMigration() throws Exception {
    Path file = run.resolve("climate.nodb");
    Files.write(file, LegacyFixtures.bytes("synthetic/climate.nodb"));

    NoDbFileInfo typed = NoDbFiles.inspect(run, "climate.nodb", MAX, Climate.TYPE);
    assertThat(typed.diagnosis()).isEqualTo(Diagnosis.LEGACY);
    assertThat(typed.loadable()).isTrue();
    LegacyReport plan = typed.legacy().orElseThrow();
    assertThat(plan.pythonClass()).isEqualTo("wepppy.nodb.core.climate.Climate");
    assertThat(plan.mapped()).isNotEmpty();
    assertThat(typed.header().orElseThrow().format()).isZero();
    assertThat(typed.header().orElseThrow().type()).isEqualTo("wepppy.nodb.core.climate.Climate");

    NoDbFileInfo tree = NoDbFiles.inspect(run, "climate.nodb", MAX, null);
    assertThat(tree.diagnosis()).isEqualTo(Diagnosis.LEGACY);
    assertThat(tree.legacy().orElseThrow().kept()).isEmpty(); // a tree maps every field

    // another Python class under climate.nodb is refused by the mapping, not read as climate
    Files.write(file, LegacyFixtures.bytes("synthetic/unitizer.nodb"));
    NoDbFileInfo refused = NoDbFiles.inspect(run, "climate.nodb", MAX, Climate.TYPE);
    assertThat(refused.diagnosis()).isEqualTo(Diagnosis.CORRUPT);
    assertThat(refused.reason().orElseThrow()).contains("wepppy.nodb.unitizer.Unitizer");
    assertThat(refused.legacy()).isEmpty();
  }

  @Test
  void linksThatLeadOutAreNeverFollowedLinksThatStayInAre() throws Exception {
    Path outside = Files.createTempFile("victim", ".nodb");
    try {
      Files.writeString(outside, counter(1, 1, "{\"count\": 666}"));
      Files.createSymbolicLink(run.resolve("counter.nodb"), outside);
      NoDbFileInfo out = inRun("counter.nodb");
      assertThat(out.diagnosis()).isEqualTo(Diagnosis.LINK);
      assertThat(out.reason().orElseThrow()).contains("leads out of the run");
      assertThat(out.content()).isEmpty();
      assertThat(out.state()).isEmpty();

      // a directory on the way that leads out
      Path outDir = Files.createTempDirectory("victim-dir");
      try {
        Files.copy(outside, outDir.resolve("counter.nodb"));
        Files.createSymbolicLink(run.resolve("sub"), outDir);
        assertThat(NoDbFiles.inspect(run, "sub/counter.nodb", MAX, null).diagnosis())
            .isEqualTo(Diagnosis.LINK);
      } finally {
        Files.delete(outDir.resolve("counter.nodb"));
        Files.delete(outDir);
      }
    } finally {
      Files.delete(outside);
    }
    Files.delete(run.resolve("counter.nodb"));
    write("real/counter.nodb", counter(2, 1, "{\"count\": 2}"));
    Files.createSymbolicLink(run.resolve("counter.nodb"), run.resolve("real/counter.nodb"));
    NoDbFileInfo in = inRun("counter.nodb");
    assertThat(in.diagnosis()).isEqualTo(Diagnosis.VALID);
    assertThat(in.state().orElseThrow().path("count").asLong()).isEqualTo(2);

    // a lone file: any link at the path is refused, with its target named
    NoDbFileInfo lone = NoDbFiles.inspect(run.resolve("counter.nodb"), MAX, Counter.TYPE);
    assertThat(lone.diagnosis()).isEqualTo(Diagnosis.LINK);
    assertThat(lone.reason().orElseThrow())
        .startsWith("a symbolic link to " + run.resolve("real/counter.nodb"))
        .contains("not followed");
  }

  @Test
  void missingFilesAndDanglingLinks() throws Exception {
    NoDbFileInfo missing = inRun("counter.nodb");
    assertThat(missing.diagnosis()).isEqualTo(Diagnosis.MISSING);
    assertThat(missing.reason()).hasValue("no such file");
    assertThat(NoDbFiles.inspect(run.resolve("nope/counter.nodb"), MAX).diagnosis())
        .isEqualTo(Diagnosis.MISSING);

    Files.createSymbolicLink(run.resolve("counter.nodb"), run.resolve("gone.nodb"));
    NoDbFileInfo dangling = inRun("counter.nodb");
    assertThat(dangling.diagnosis()).isEqualTo(Diagnosis.MISSING);
    assertThat(dangling.reason().orElseThrow()).startsWith("dangling symbolic link to");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS) // a FIFO that was opened would block forever
  void fifosAndDirectoriesAreNeverOpened() throws Exception {
    Path fifo = run.resolve("counter.nodb");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor())
        .isZero();
    NoDbFileInfo f = inRun("counter.nodb");
    assertThat(f.diagnosis()).isEqualTo(Diagnosis.SPECIAL_FILE);
    assertThat(f.reason().orElseThrow()).contains("FIFO");
    assertThat(NoDbFiles.inspect(fifo, MAX).diagnosis()).isEqualTo(Diagnosis.SPECIAL_FILE);

    Files.createDirectory(run.resolve("dir.nodb"));
    NoDbFileInfo dir = NoDbFiles.inspect(run, "dir.nodb", MAX, null);
    assertThat(dir.diagnosis()).isEqualTo(Diagnosis.SPECIAL_FILE);
    assertThat(dir.reason().orElseThrow()).contains("a directory");
    // the root directory has no parent: still a diagnosis
    assertThat(NoDbFiles.inspect(Path.of("/"), MAX, null).diagnosis())
        .isEqualTo(Diagnosis.SPECIAL_FILE);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aHugeSparseFileIsRefusedBeforeItIsRead() throws Exception {
    Path file = run.resolve("counter.nodb");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(3L << 30); // 3 GiB of holes
    }
    NoDbFileInfo f = inRun("counter.nodb");
    assertThat(f.diagnosis()).isEqualTo(Diagnosis.TOO_LARGE);
    assertThat(f.reason().orElseThrow()).contains(Long.toString(3L << 30));
    assertThat(f.size()).isEqualTo(-1);

    // and the limit is the caller's
    Files.writeString(file, counter(1, 1, "{\"count\": 5}"));
    assertThat(NoDbFiles.inspect(run, "counter.nodb", 10, Counter.TYPE).diagnosis())
        .isEqualTo(Diagnosis.TOO_LARGE);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> NoDbFiles.inspect(run, "../counter.nodb", MAX, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../counter.nodb");
    assertThatThrownBy(() -> NoDbFiles.inspect(run, "/etc/passwd", MAX, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoDbFiles.inspect(run, ".", MAX, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoDbFiles.inspect(run.resolve("counter.nodb"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize");
  }

  // --- the public fenced write ---

  @Test
  void theWriterWritesTheNextVersionKeepingLineageAndUnknownFields() throws Exception {
    write("counter.nodb", counter(7, 3, "{\"count\": 5}"));
    NoDbFileInfo base = inRun("counter.nodb");
    ObjectNode state = base.state().orElseThrow().put("count", 6);

    NoDbFileInfo after = NoDbFileWriter.writeNextVersion(base, state, 4, "tool:1", () -> {});

    assertThat(after.diagnosis()).isEqualTo(Diagnosis.VALID);
    NoDbFileInfo.Header h = after.header().orElseThrow();
    assertThat(h.version()).isEqualTo(8);
    assertThat(h.fence()).isEqualTo(4);
    assertThat(h.writer()).isEqualTo("tool:1");
    assertThat(h.lineage()).isEqualTo("ab".repeat(16));
    assertThat(h.extra().fieldNames()).toIterable().containsExactly("controller", "future");
    assertThat(after.state().orElseThrow().path("count").asLong()).isEqualTo(6);
    assertThat(Files.exists(run.resolve(".counter.nodb.tmp"))).isFalse();
  }

  @Test
  void theWritersGuardsStopAStaleALowerFencedAndAnUnheldWrite() throws Exception {
    write("counter.nodb", counter(7, 3, "{\"count\": 5}"));
    NoDbFileInfo base = inRun("counter.nodb");
    ObjectNode state = base.state().orElseThrow().put("count", 6);

    assertThatThrownBy(
            () ->
                NoDbFileWriter.writeNextVersion(
                    base,
                    state,
                    4,
                    "tool:1",
                    () -> {
                      throw new LockLostException(
                          io.nodb.lock.LockKey.of("r", "counter.nodb"),
                          LossReason.EXPIRED,
                          4,
                          "abcd",
                          "lease ran out");
                    }))
        .isInstanceOf(LockLostException.class);
    assertThat(inRun("counter.nodb").header().orElseThrow().version()).isEqualTo(7);
    assertThat(Files.exists(run.resolve(".counter.nodb.tmp"))).isFalse();

    assertThatThrownBy(() -> NoDbFileWriter.writeNextVersion(base, state, 2, "tool:1", () -> {}))
        .isInstanceOf(NoDbFencedWriteException.class);

    NoDbFileWriter.writeNextVersion(base, state, 4, "tool:1", () -> {});
    // base is now stale: the file moved on
    assertThatThrownBy(() -> NoDbFileWriter.writeNextVersion(base, state, 5, "tool:1", () -> {}))
        .isInstanceOf(NoDbStaleWriteException.class);
    assertThat(inRun("counter.nodb").header().orElseThrow().version()).isEqualTo(8);
  }

  @Test
  void theWriterNeitherWritesThroughALinkNorPastTheLargestVersion() throws Exception {
    write("real/counter.nodb", counter(2, 1, "{\"count\": 2}"));
    Files.createSymbolicLink(run.resolve("counter.nodb"), run.resolve("real/counter.nodb"));
    NoDbFileInfo linked = inRun("counter.nodb");
    assertThat(linked.diagnosis()).isEqualTo(Diagnosis.VALID); // read through a link inside
    ObjectNode state = linked.state().orElseThrow();
    assertThatThrownBy(() -> NoDbFileWriter.writeNextVersion(linked, state, 2, "t:1", () -> {}))
        .isInstanceOf(NoDbUnsafePathException.class);
    assertThat(inRun("real/counter.nodb").header().orElseThrow().version()).isEqualTo(2);

    write("max/counter.nodb", counter(io.nodb.lock.Fences.MAX, 1, "{}"));
    NoDbFileInfo atMax = inRun("max/counter.nodb");
    assertThat(atMax.diagnosis()).isEqualTo(Diagnosis.VALID);
    assertThatThrownBy(() -> NoDbFileWriter.writeNextVersion(atMax, state, 2, "t:1", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("largest");
    assertThatThrownBy(() -> NoDbFileWriter.writeNextVersion(linked, state, -1, "t:1", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fence");
  }

  @Test
  void theWriterRefusesABaseThatIsNotAValidFile() throws Exception {
    Files.write(run.resolve("climate.nodb"), LegacyFixtures.bytes("synthetic/climate.nodb"));
    NoDbFileInfo legacy = NoDbFiles.inspect(run, "climate.nodb", MAX, Climate.TYPE);
    assertThatThrownBy(
            () ->
                NoDbFileWriter.writeNextVersion(
                    legacy, M.createObjectNode(), 1, "tool:1", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LEGACY");
    NoDbFileInfo missing = inRun("counter.nodb");
    assertThatThrownBy(
            () ->
                NoDbFileWriter.writeNextVersion(
                    missing, M.createObjectNode(), 1, "tool:1", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MISSING");
    assertThat(Files.exists(run.resolve("counter.nodb"))).isFalse();
  }
}
