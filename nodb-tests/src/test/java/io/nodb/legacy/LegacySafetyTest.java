package io.nodb.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.controllers.Climate;
import io.nodb.lock.LockClient;
import io.nodb.store.NoDbBackupConflictException;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbLegacyFormatException;
import io.nodb.store.NoDbStore;
import io.nodb.store.internal.LegacyBackup;
import io.nodb.testing.legacy.LegacyFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile legacy files through the store: each fails typed and quickly, the file is never
 * rewritten, and the lock is free afterwards; the original's backup is never written through a link
 * and never overwritten.
 */
class LegacySafetyTest {

  @TempDir Path runsRoot;
  private LockClient locks;
  private NoDbStore store;

  @BeforeEach
  void setUp() {
    locks = LockClient.builder().local(runsRoot).build();
    store = NoDbStore.builder().lockClient(locks).build();
  }

  @AfterEach
  void tearDown() {
    store.close();
    locks.close();
  }

  static Stream<Arguments> hostile() {
    StringBuilder laughs =
        new StringBuilder("{\"py/object\": \"wepppy.nodb.climate.Climate\", \"l0\": [1, 2, 3, 4]");
    for (int i = 1; i <= 60; i++) {
      laughs
          .append(", \"l")
          .append(i)
          .append("\": [{\"py/id\": ")
          .append(i)
          .append("}, {\"py/id\": ")
          .append(i)
          .append("}]");
    }
    laughs.append("}");
    return Stream.of(
        Arguments.of(
            "deep nesting",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"d\": "
                + "[".repeat(100_000)
                + "]".repeat(100_000)
                + "}",
            null),
        Arguments.of("expanding references", laughs.toString(), null),
        Arguments.of(
            "a reference cycle",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"me\": {\"py/id\": 0}}",
            "py/id"),
        Arguments.of(
            "a reference to nowhere",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"x\": {\"py/ref\": \"/a/b\"}}",
            "py/ref"),
        Arguments.of(
            "a huge byte string",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"b\": {\"py/b64\": \""
                + "QUFB".repeat(1_000_000)
                + "\"}}",
            "py/b64"),
        Arguments.of(
            "a huge numpy shape",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"a\": {\"py/object\": \"numpy.ndarray\", \"dtype\": \"uint8\", \"values\": \"AA==\", \"shape\": [2000000000, 2000000000]}}",
            "py/object"),
        Arguments.of(
            "an unknown tag",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"f\": {\"py/function\": \"os.system\"}}",
            "py/function"),
        Arguments.of(
            "another controller's class",
            "{\"py/object\": \"wepppy.nodb.soils.Soils\"}",
            "py/object"),
        Arguments.of(
            "NaN from Python's json",
            "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"x\": NaN}",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  @Timeout(20)
  void aHostileLegacyFileFailsTypedAndIsNeverRewritten(String what, String json, String tag)
      throws IOException {
    Path run =
        Files.createDirectories(
            runsRoot.resolve("hostile-" + what.replace(' ', '-').replace("'", "")));
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Files.write(run.resolve("climate.nodb"), bytes);

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> store.getInstance(Climate.class, run));
    assertThat(thrown).as(what).isInstanceOf(NoDbCorruptFileException.class);
    assertThat(((NoDbCorruptFileException) thrown).path()).isEqualTo(run.resolve("climate.nodb"));
    if (tag != null) {
      assertThat(thrown).isInstanceOf(NoDbLegacyFormatException.class);
      assertThat(((NoDbLegacyFormatException) thrown).tag()).isEqualTo(tag);
    }
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(bytes);
    try (Stream<Path> files = Files.list(run)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("format0")))
          .isEmpty();
    }
  }

  @Test
  void aLinkPlantedAtTheBackupNameIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", runsRoot.resolve("linked"));
    byte[] original = Files.readAllBytes(run.resolve("climate.nodb"));
    Path outside = Files.createDirectories(runsRoot.resolve("outside")).resolve("target");
    Path backup = run.resolve(LegacyBackup.nameFor(run.resolve("climate.nodb"), original));
    Files.createSymbolicLink(backup, outside);

    Climate c = store.getInstance(Climate.class, run);
    assertThatThrownBy(() -> c.setStation("x", 1990, 1991))
        .isInstanceOf(NoDbBackupConflictException.class)
        .hasMessageContaining(backup.toString())
        .hasMessageContaining("a symbolic link (to " + outside + ")");
    assertThat(outside).doesNotExist();
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(original);
    // the lock was released: a repaired run migrates
    Files.delete(backup);
    c.setStation("x", 1990, 1991);
    assertThat(Files.readAllBytes(backup)).isEqualTo(original);
  }

  @Test
  void aBackupWithOtherContentIsNeverOverwrittenAndALeftoverTempIsReplaced() throws IOException {
    Path run = LegacyFixtures.copyRun("2020-Test_Watershed_15", runsRoot.resolve("taken"));
    byte[] original = Files.readAllBytes(run.resolve("ron.nodb"));
    String name = LegacyBackup.nameFor(run.resolve("ron.nodb"), original);
    Files.writeString(run.resolve(name), "someone else's");
    Path outside = Files.createDirectories(runsRoot.resolve("outside2")).resolve("t");
    Files.createSymbolicLink(run.resolve("." + name + ".tmp"), outside);

    io.nodb.controllers.Ron ron = store.getInstance(io.nodb.controllers.Ron.class, run);
    assertThatThrownBy(() -> ron.enableMod("ash"))
        .isInstanceOf(NoDbBackupConflictException.class)
        .hasMessageContaining(run.resolve(name).toString())
        .hasMessageContaining("other content");
    assertThat(Files.readString(run.resolve(name))).isEqualTo("someone else's");
    assertThat(Files.readAllBytes(run.resolve("ron.nodb"))).isEqualTo(original);

    Files.delete(run.resolve(name));
    ron.enableMod("ash");
    assertThat(Files.readAllBytes(run.resolve(name))).isEqualTo(original);
    assertThat(outside).doesNotExist();
    assertThat(run.resolve("." + name + ".tmp")).doesNotExist();
  }
}
