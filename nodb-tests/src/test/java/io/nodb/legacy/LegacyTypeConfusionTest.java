package io.nodb.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.controllers.Climate;
import io.nodb.controllers.Landuse;
import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbTree;
import io.nodb.store.NoDbWrongTypeException;
import io.nodb.testing.legacy.LegacyFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Type confusion between controllers: a file written by the tree controller, by another typed
 * controller, or migrated from another Python class, placed under a typed controller's file name
 * (or a typed controller's file read as a tree) is refused with {@link NoDbWrongTypeException}
 * naming the file, the expected and the found type, and never rewritten; {@code getTree} refuses a
 * file name a typed controller owns. {@code ControllerType.checkFile}/{@code NoDbTree.checkFile}
 * (what {@code status} and {@code inspect} call) say the same.
 */
class LegacyTypeConfusionTest {

  private static final ObjectMapper M = new ObjectMapper();

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

  @Test
  void getTreeRefusesAFileNameThatATypedControllerOwns() throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", runsRoot.resolve("owned"));
    // a landuse file placed as climate.nodb: as a tree it would map every field and write
    // type 'climate'
    Files.copy(
        run.resolve("landuse.nodb"),
        run.resolve("climate.nodb"),
        StandardCopyOption.REPLACE_EXISTING);
    byte[] before = Files.readAllBytes(run.resolve("climate.nodb"));
    assertThat(Climate.TYPE.fileName()).isEqualTo("climate.nodb"); // registered
    assertThatThrownBy(() -> store.getTree(run, "climate.nodb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.nodb.controllers.Climate")
        .hasMessageContaining("getInstance(Climate.class");
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(before);
  }

  @Test
  void aTreesFileMovedUnderATypedNameIsRefusedByTheTypedController() throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", runsRoot.resolve("tree"));
    // a tree of the same type name (sub/climate.nodb is no typed controller's file), mutated
    Path sub = Files.createDirectories(run.resolve("sub"));
    Files.copy(run.resolve("landuse.nodb"), sub.resolve("climate.nodb"));
    NoDbTree tree = store.getTree(run, "sub/climate.nodb");
    tree.locked(s -> s.put("touched", true));
    ObjectNode header = (ObjectNode) M.readTree(sub.resolve("climate.nodb").toFile()).get("nodb");
    assertThat(header.path("type").asText()).isEqualTo("climate");
    assertThat(header.path("controller").asText()).isEqualTo("tree");
    Files.move(
        sub.resolve("climate.nodb"),
        run.resolve("climate.nodb"),
        StandardCopyOption.REPLACE_EXISTING);
    byte[] planted = Files.readAllBytes(run.resolve("climate.nodb"));

    NoDbWrongTypeException e =
        catchThrowableOfType(
            NoDbWrongTypeException.class, () -> store.getInstance(Climate.class, run));
    assertThat(e.path()).isEqualTo(run.resolve("climate.nodb"));
    assertThat(e.expected()).contains("'climate'", "io.nodb.controllers.Climate");
    assertThat(e.found()).contains("of a tree");
    assertThat(e).hasMessageContaining(run.resolve("climate.nodb").toString());
    assertThat(
            catchThrowableOfType(
                NoDbWrongTypeException.class,
                () -> Climate.TYPE.checkFile(run.resolve("climate.nodb"), planted)))
        .hasMessage(e.getMessage());
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(planted);
  }

  @Test
  void aTypedControllersFileIsNotReadAsATreeNorAsAnotherController() throws IOException {
    Path run = LegacyFixtures.copyRun("2020-Test_Watershed_15", runsRoot.resolve("typed"));
    Landuse landuse = store.getInstance(Landuse.class, run);
    landuse.locked(s -> {});
    byte[] written = Files.readAllBytes(run.resolve("landuse.nodb"));
    assertThat(M.readTree(written).at("/nodb/controller").asText())
        .isEqualTo("io.nodb.controllers.Landuse");

    // another typed controller's file under climate.nodb
    Files.write(run.resolve("climate.nodb"), written);
    store.clearCache();
    NoDbWrongTypeException e =
        catchThrowableOfType(
            NoDbWrongTypeException.class, () -> store.getInstance(Climate.class, run));
    assertThat(e.expected()).isEqualTo("'climate'");
    assertThat(e.found()).contains("'landuse'", "io.nodb.controllers.Landuse");

    // a typed controller's file read as a tree (a name no controller owns, same type name)
    Path sub = Files.createDirectories(run.resolve("sub"));
    Files.write(sub.resolve("landuse.nodb"), written);
    NoDbWrongTypeException t =
        catchThrowableOfType(
            NoDbWrongTypeException.class, () -> store.getTree(run, "sub/landuse.nodb"));
    assertThat(t.expected()).contains("of a tree");
    assertThat(t.found()).contains("io.nodb.controllers.Landuse");
    assertThatThrownBy(() -> NoDbTree.checkFile(sub.resolve("landuse.nodb"), written))
        .isInstanceOf(NoDbWrongTypeException.class);
    assertThat(Files.readAllBytes(sub.resolve("landuse.nodb"))).isEqualTo(written);
  }

  @Test
  void aFileMigratedFromAnotherPythonClassIsRefusedEvenWithoutAControllerRecord()
      throws IOException {
    // as an older build's tree wrote it: type 'climate', no 'controller', a landuse origin
    Path run = Files.createDirectories(runsRoot.resolve("older"));
    String json =
        "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 1, \"fence\": 1,"
            + " \"writtenAt\": \"\", \"writer\": \"\","
            + " \"legacy\": {\"pythonClass\": \"wepppy.nodb.landuse.Landuse\"}},"
            + " \"state\": {\"domlc_d\": {\"22\": \"42\"}}}";
    Files.writeString(run.resolve("climate.nodb"), json);
    NoDbWrongTypeException e =
        catchThrowableOfType(
            NoDbWrongTypeException.class, () -> store.getInstance(Climate.class, run));
    assertThat(e.found()).contains("wepppy.nodb.landuse.Landuse");
    assertThat(e.expected()).contains("wepppy.nodb.climate.Climate");
    assertThat(Files.readString(run.resolve("climate.nodb"))).isEqualTo(json);
  }
}
