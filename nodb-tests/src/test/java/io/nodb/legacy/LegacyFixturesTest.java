package io.nodb.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.controllers.Climate;
import io.nodb.controllers.Controllers;
import io.nodb.controllers.Landuse;
import io.nodb.controllers.Ron;
import io.nodb.controllers.Watershed;
import io.nodb.lock.LockClient;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyReport;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbTree;
import io.nodb.store.internal.LegacyDecoder;
import io.nodb.testing.legacy.LegacyFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every real-shaped legacy fixture loads through the store (a shipped controller or the tree
 * controller), agrees with the dry-run planner, and its first dump loses no field: the original
 * bytes are kept beside the file, every field is either mapped or kept verbatim, and later dumps
 * keep the kept ones.
 */
class LegacyFixturesTest {

  private static final ObjectMapper M = new ObjectMapper();

  static final java.util.List<String> FIXTURES = LegacyFixtures.ALL;

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

  private NoDbBase<?> load(NoDbStore s, Path run, String fileName) {
    Optional<ControllerType<?, ?>> ct = Controllers.forFile(fileName);
    return ct.isPresent()
        ? s.getInstance(ct.get().controllerClass(), run)
        : s.getTree(run, fileName);
  }

  private static void dump(NoDbBase<?> c) {
    try (LockedScope<?> scope = c.lock()) {
      scope.commit();
    }
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void everyFixtureLoadsAgreesWithThePlanAndMigratesWithoutLosingAField(String fixture)
      throws IOException {
    String runName = fixture.substring(0, fixture.indexOf('/'));
    String fileName = fixture.substring(fixture.indexOf('/') + 1);
    Path run = LegacyFixtures.copyRun(runName, runsRoot.resolve(runName));
    Path file = run.resolve(fileName);
    byte[] original = Files.readAllBytes(file);
    ObjectNode originalTree = (ObjectNode) M.readTree(original);
    ObjectNode originalFields =
        originalTree.has("py/state") ? (ObjectNode) originalTree.get("py/state") : originalTree;

    NoDbBase<?> c = load(store, run, fileName);
    assertThat(c.format()).isZero();
    Optional<ControllerType<?, ?>> ct = Controllers.forFile(fileName);
    LegacyReport planned =
        ct.isPresent() ? ct.get().planLegacy(file, original) : NoDbTree.planLegacy(file, original);
    assertThat(c.legacyReport()).contains(planned);

    dump(c);

    JsonNode written = M.readTree(file.toFile());
    assertThat(written.at("/nodb/format").asInt()).isEqualTo(1);
    assertThat(written.at("/nodb/legacy/pythonClass").asText())
        .isEqualTo(originalTree.get("py/object").asText());
    Path backup = run.resolve(written.at("/nodb/legacy/original").asText());
    assertThat(Files.readAllBytes(backup)).as("original bytes kept beside").isEqualTo(original);
    JsonNode kept = written.path("legacy");
    JsonNode decoded = LegacyDecoder.decode(file, originalTree).fields();
    for (Map.Entry<String, JsonNode> f : originalFields.properties()) {
      if (f.getKey().equals("py/object")) {
        continue;
      }
      assertThat(planned.mapped().contains(f.getKey()) || planned.kept().contains(f.getKey()))
          .as("%s mapped or kept", f.getKey())
          .isTrue();
      if (!planned.kept().contains(f.getKey())) {
        assertThat(kept.has(f.getKey()))
            .as("%s mapped exactly, not also kept", f.getKey())
            .isFalse();
        if (ct.isEmpty()) {
          assertThat(written.path("state").get(f.getKey()))
              .as("tree field %s", f.getKey())
              .isEqualTo(decoded.get(f.getKey()));
        }
      } else {
        assertThat(kept.get(f.getKey()))
            .as("kept verbatim: %s", f.getKey())
            .isEqualTo(f.getValue());
      }
    }

    // a fresh store (another process) reads it, and its next dump keeps everything again
    try (LockClient otherLocks = LockClient.builder().local(runsRoot).build();
        NoDbStore other = NoDbStore.builder().lockClient(otherLocks).build()) {
      NoDbBase<?> again = load(other, run, fileName);
      assertThat(again.format()).isEqualTo(1);
      assertThat(again.legacyReport()).isEmpty();
      dump(again);
    }
    JsonNode rewritten = M.readTree(file.toFile());
    assertThat(rewritten.at("/nodb/version").asLong()).isEqualTo(2);
    assertThat(rewritten.path("legacy")).isEqualTo(kept);
    assertThat(rewritten.at("/nodb/legacy")).isEqualTo(written.at("/nodb/legacy"));
    assertThat(rewritten.path("state")).isEqualTo(written.path("state"));
  }

  @Test
  void theShippedControllersMapTheRealFieldsOfEveryWeppPyVersion() {
    Path mica = LegacyFixtures.copyRun("2018-Mica_flume1", runsRoot.resolve("mica"));
    Path tahoe = LegacyFixtures.copyRun("2020-Test_Watershed_15", runsRoot.resolve("tahoe"));
    Path fire = LegacyFixtures.copyRun("2026-prescribed_fire", runsRoot.resolve("fire"));
    Path synth = LegacyFixtures.copyRun("synthetic", runsRoot.resolve("synth"));

    Ron ron = store.getInstance(Ron.class, mica);
    assertThat(ron.name()).isEqualTo("Mica_flume1");
    assertThat(ron.state().config).isEqualTo("0.cfg");
    assertThat(ron.state().cellSize).isEqualTo(30.0);
    assertThat(ron.state().map.zoom).isEqualTo(12);
    assertThat(ron.state().map.utmZone).isEqualTo(11);
    assertThat(ron.state().map.utmBand).isEqualTo("T");
    assertThat(ron.state().map.extent).hasSize(4);
    assertThat(ron.state().map.extra()).containsKeys("@class", "cellsize", "utmzone");
    Ron ron2020 = store.getInstance(Ron.class, tahoe);
    assertThat(ron2020.state().configName).isEqualTo("Disturbed");
    assertThat(ron2020.mods()).containsExactly("disturbed", "debris_flow", "ash");
    assertThat(ron2020.state().map.extra()).containsKeys("_ul_x", "_num_rows");

    Climate c2020 = store.getInstance(Climate.class, tahoe);
    assertThat(c2020.station()).isEqualTo("nv263205");
    assertThat(c2020.state().modeCode).isZero();
    assertThat(c2020.state().mode).isEqualTo("stochastic");
    assertThat(c2020.state().observedStartYear).as("\"\" is no year").isNull();
    assertThat(c2020.state().startYear).isNull();
    assertThat(c2020.state().inputYears).isEqualTo(100);
    Climate synthetic = store.getInstance(Climate.class, synth);
    assertThat(synthetic.state().modeClass).isEqualTo("wepppy.nodb.core.climate.ClimateMode");
    assertThat(synthetic.state().mode).isEqualTo("observed");
    assertThat(synthetic.state().closestStations).hasSize(2);
    assertThat(synthetic.state().closestStations.get(1).id)
        .as("py/id resolved")
        .isEqualTo("id106388");

    Landuse l2018 = store.getInstance(Landuse.class, mica);
    assertThat(l2018.code("23")).isEqualTo(52);
    assertThat(l2018.state().hillslopeCodes).hasSize(44);
    Landuse l2026 = store.getInstance(Landuse.class, fire);
    assertThat(l2026.code("1433")).isEqualTo(410);
    assertThat(l2026.state().mofeCodes.get("1563"))
        .containsExactly(Map.entry("1", 200), Map.entry("2", 410));
    assertThat(l2026.state().source).isEqualTo("locales/earth/C3Slandcover/2010");

    Watershed w2018 = store.getInstance(Watershed.class, mica);
    assertThat(w2018.state().channels).containsExactly("104", "24");
    assertThat(w2018.state().channelSummaries.get("24").topazId).isEqualTo(24);
    assertThat(w2018.state().channelSummaries.get("24").extra().get("isoutlet").asBoolean())
        .isTrue();
    assertThat(w2018.state().subcatchmentSummaries.get("102").extra().get("@class").asText())
        .isEqualTo("wepppy.watershed_abstraction.watershed_abstraction.HillSummary");
    Watershed w2020 = store.getInstance(Watershed.class, tahoe);
    assertThat(w2020.state().subcatchmentSummaries.get("22").weppId).isEqualTo(1);
    assertThat(w2020.state().subcatchmentSummaries.get("22").extra().get("@class").asText())
        .isEqualTo("wepppy.watershed_abstraction.support.HillSummary");
    assertThat(w2020.state().channels).containsExactly("224");
    assertThat(w2020.state().outletLon).isEqualTo(-120.10916059763642);
    assertThat(w2020.state().outletLat).isEqualTo(39.0048652747214);
    assertThat(w2020.state().outlet.extra())
        .containsKeys("@class", "requested_loc", "pixel_coords");
    assertThat(w2018.state().outletLon).as("no _outlet in 2018").isNull();

    NoDbTree unitizer = store.getTree(synth, "unitizer.nodb");
    assertThat(unitizer.at("/_history/1")).isEqualTo(unitizer.at("/_history/0"));
    assertThat(unitizer.at("/_history/2")).isEqualTo(unitizer.at("/_preferences"));
    assertThat(unitizer.at("/_lut/values").toString()).isEqualTo("[0,1,255]");
  }

  @Test
  void climateModeEightMeansObservedBeforeTheRenumberingAndEobsAfter() throws IOException {
    Path old = LegacyFixtures.copyRun("2018-Mica_flume1", runsRoot.resolve("mode-old"));
    assertThat(store.getInstance(Climate.class, old).state().mode).isEqualTo("observed");
    Path renumbered =
        LegacyFixtures.copyRun("2020-Test_Watershed_15", runsRoot.resolve("mode-new"));
    String text = Files.readString(renumbered.resolve("climate.nodb"));
    Files.writeString(
        renumbered.resolve("climate.nodb"),
        text.replace(
            "\"wepppy.nodb.climate.ClimateMode\"}, {\"py/tuple\": [0]}",
            "\"wepppy.nodb.climate.ClimateMode\"}, {\"py/tuple\": [8]}"));
    Climate c = store.getInstance(Climate.class, renumbered);
    assertThat(c.state().modeCode).isEqualTo(8);
    assertThat(c.state().mode).isEqualTo("eobs");
    assertThat(c.legacyReport().orElseThrow().kept()).contains("_climate_spatialmode");
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aRealSizedWatershedOfSevenHundredKilobytesMigratesLosingNothing() throws IOException {
    ObjectNode doc =
        (ObjectNode) M.readTree(LegacyFixtures.bytes("2018-Mica_flume1/watershed.nodb"));
    ObjectNode subs = (ObjectNode) doc.get("_subs_summary");
    JsonNode template = subs.get("102");
    for (int i = 0; i < 1000; i++) {
      ObjectNode hill = template.deepCopy();
      hill.put("topaz_id", 10_000 + i);
      subs.set(Integer.toString(10_000 + i), hill);
    }
    byte[] original = M.writeValueAsBytes(doc);
    assertThat(original.length).isGreaterThan(600_000);
    Path run = Files.createDirectories(runsRoot.resolve("big"));
    Files.write(run.resolve("watershed.nodb"), original);

    Watershed w = store.getInstance(Watershed.class, run);
    assertThat(w.state().subcatchmentSummaries).hasSize(1002);
    w.setOutlet(-116.2, 47.1);

    JsonNode file = M.readTree(run.resolve("watershed.nodb").toFile());
    assertThat(file.at("/state/subcatchmentSummaries/10699/topazId").asInt()).isEqualTo(10_699);
    assertThat(file.at("/state/subcatchmentSummaries/10699/w_slopes"))
        .isEqualTo(
            LegacyDecoder.decode(run.resolve("x"), doc)
                .fields()
                .at("/_subs_summary/10699/w_slopes"));
    assertThat(file.at("/legacy/_structure")).isEqualTo(doc.get("_structure"));
    assertThat(Files.readAllBytes(run.resolve(file.at("/nodb/legacy/original").asText())))
        .isEqualTo(original);
  }

  @Test
  void theTreeControllerMutatesUnderTheLockAndRemovesWhatTheBodyRemoves() throws IOException {
    Path mica = LegacyFixtures.copyRun("2018-Mica_flume1", runsRoot.resolve("mica-tree"));
    NoDbTree soils = store.getTree(mica, "soils.nodb");
    soils.locked(
        t -> {
          ((ObjectNode) t.get("domsoil_d")).put("22", "153380");
          t.remove("_single_man");
        });
    assertThat(soils.at("/domsoil_d/22").asText()).isEqualTo("153380");
    JsonNode file = M.readTree(mica.resolve("soils.nodb").toFile());
    assertThat(file.at("/nodb/type").asText()).isEqualTo("soils");
    assertThat(file.at("/state/_single_man").isMissingNode()).isTrue();
    assertThat(file.at("/state/soils/153349/@class").asText())
        .isEqualTo("wepppy.ssurgo.ssurgo.SoilSummary");
    assertThat(soils.state().has("_single_man")).isFalse();
  }
}
