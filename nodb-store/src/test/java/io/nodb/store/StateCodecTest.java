package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.LockClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state codec as the store uses it (real files, local locks): the controller's own migrate
 * hook, a tree's files kept as read, copies independent of the published state, and unknown fields
 * kept by a typed controller's dump but not by a tree's.
 */
class StateCodecTest {

  /** A controller whose migrate hook renames {@code old} to {@code name} from format 0. */
  static final class Probe extends NoDbBase<Probe.State> {
    static final ControllerType<Probe, State> TYPE =
        ControllerType.register(
            Probe.class, State.class, "probe", "probe.nodb", Probe::new, State::new);

    /** The probe's state. */
    public static final class State {
      public String name = "";
      public int count;
    }

    @Override
    protected ObjectNode migrate(int fromFormat, ObjectNode state) {
      if (state.has("refuse")) {
        throw new UnsupportedOperationException("refused by the probe");
      }
      state.set("name", state.remove("old"));
      return state;
    }
  }

  @TempDir Path runsRoot;
  private LockClient locks;
  private NoDbStore store;
  private Path run;

  @BeforeEach
  void open() throws IOException {
    locks = LockClient.builder().local(runsRoot).releaseOnShutdown(false).build();
    store = NoDbStore.builder().lockClient(locks).build();
    run = Files.createDirectories(runsRoot.resolve("run-1"));
  }

  @AfterEach
  void close() {
    store.close();
    locks.close();
  }

  private void write(String file, String json) throws IOException {
    Files.write(run.resolve(file), json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anOlderFormatGoesThroughTheControllersMigrateHook() throws IOException {
    write(
        "probe.nodb",
        "{\"nodb\": {\"format\": 0, \"type\": \"probe\", \"version\": 3, \"fence\": 0},"
            + " \"state\": {\"old\": \"migrated\", \"count\": 4}}");
    Probe p = store.getInstance(Probe.class, run);
    assertThat(p.state().name).isEqualTo("migrated");
    assertThat(p.state().count).isEqualTo(4);
    assertThat(p.format()).isZero();
    p.locked(s -> s.count++);
    assertThat(p.format()).isEqualTo(1);
    assertThat(store.ignoreLock(Probe.class, run).state().name).isEqualTo("migrated");
  }

  @Test
  void aMigrateHookThatThrowsMakesTheFileCorruptNamingTheFormat() throws IOException {
    write(
        "probe.nodb",
        "{\"nodb\": {\"format\": 0, \"type\": \"probe\", \"version\": 1, \"fence\": 1},"
            + " \"state\": {\"refuse\": true}}");
    assertThatThrownBy(() -> store.getInstance(Probe.class, run))
        .isInstanceOf(NoDbCorruptFileException.class)
        .hasMessageContaining("cannot migrate from format 0: refused by the probe");
  }

  @Test
  void aTreesOlderFormatIsKeptAsRead() throws IOException {
    write(
        "soils.nodb",
        "{\"nodb\": {\"format\": 0, \"type\": \"soils\", \"version\": 1, \"fence\": 1},"
            + " \"state\": {\"old\": \"kept\"}}");
    NoDbTree t = store.getTree(run, "soils.nodb");
    assertThat(t.state().path("old").asText()).isEqualTo("kept");
  }

  @Test
  void aTypedDumpKeepsUnknownFieldsATreeDumpDropsRemovedOnes() throws IOException {
    store.create(Probe.class, run, s -> s.name = "a");
    ObjectMapper mapper = new ObjectMapper();
    Path file = run.resolve("probe.nodb");
    ObjectNode doc = (ObjectNode) mapper.readTree(file.toFile());
    ((ObjectNode) doc.get("state")).put("future", "field");
    ((ObjectNode) doc.get("nodb")).put("version", 2);
    mapper.writeValue(file.toFile(), doc);

    Probe p = store.getInstance(Probe.class, run);
    p.locked(s -> s.count = 7);
    assertThat(mapper.readTree(file.toFile()).path("state").path("future").asText())
        .isEqualTo("field");

    write(
        "soils.nodb",
        "{\"nodb\": {\"format\": 1, \"type\": \"soils\", \"version\": 1, \"fence\": 1},"
            + " \"state\": {\"a\": 1, \"b\": 2}}");
    NoDbTree t = store.getTree(run, "soils.nodb");
    t.locked(s -> s.remove("a"));
    assertThat(mapper.readTree(run.resolve("soils.nodb").toFile()).path("state").has("a"))
        .isFalse();
    assertThat(t.state().has("b")).isTrue();
  }

  @Test
  void copiesAreIndependentOfThePublishedState() throws IOException {
    store.create(Probe.class, run, s -> s.name = "published");
    Probe p = store.getInstance(Probe.class, run);
    Probe.State copy = p.snapshot();
    copy.name = "changed";
    assertThat(p.state().name).isEqualTo("published");
    assertThatThrownBy(
            () ->
                p.locked(
                    s -> {
                      s.name = "half";
                      throw new IllegalStateException("body failed");
                    }))
        .hasMessage("body failed");
    assertThat(p.state().name).isEqualTo("published");

    write(
        "soils.nodb",
        "{\"nodb\": {\"format\": 1, \"type\": \"soils\", \"version\": 1, \"fence\": 1},"
            + " \"state\": {\"a\": 1}}");
    NoDbTree t = store.getTree(run, "soils.nodb");
    t.snapshot().put("a", 2);
    assertThat(t.state().path("a").asInt()).isEqualTo(1);
  }
}
