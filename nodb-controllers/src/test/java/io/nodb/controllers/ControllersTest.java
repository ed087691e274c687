package io.nodb.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real controllers on the local lock backend (no server). */
class ControllersTest {

  @TempDir Path runsRoot;
  private LockClient locks;
  private NoDbStore store;

  @BeforeEach
  void openStore() {
    locks = LockClient.builder().local(runsRoot).build();
    store = NoDbStore.builder().lockClient(locks).build();
  }

  @AfterEach
  void closeStore() {
    store.close();
    locks.close();
  }

  @Test
  void creatingARunCreatesEveryControllerUnderRonsLock() {
    Path run = runsRoot.resolve("run-1");
    Ron ron = Ron.create(store, run, "Blackwood Creek", "roger", "disturbed.cfg");
    assertThat(ron.name()).isEqualTo("Blackwood Creek");
    assertThat(ron.version()).as("created, then re-dumped under its lock").isEqualTo(2);
    for (String f : List.of("ron.nodb", "climate.nodb", "landuse.nodb", "watershed.nodb")) {
      assertThat(run.resolve(f)).exists();
    }
    ron.enableMod("rap_ts");
    ron.enableMod("rap_ts");
    assertThat(store.getInstance(Ron.class, run).mods()).containsExactly("rap_ts");
  }

  @Test
  void eventsReachTheOtherControllers() {
    Path run = runsRoot.resolve("run-2");
    Ron ron = Ron.create(store, run, "n", "o", "c");
    Watershed ws = store.getInstance(Watershed.class, run);
    Landuse landuse = store.getInstance(Landuse.class, run);
    Climate climate = store.getInstance(Climate.class, run);
    ws.setOutlet(-120.1, 39.1);
    List<String> hills = ws.abstractWatershed(3);
    landuse.rebuild(hills, h -> 42);
    climate.parseInputs(List.of("2000 1 1 3.0", "2000 1 2 1.0"));
    assertThat(climate.state().stale).isFalse();

    ron.trigger(TriggerEvent.WATERSHED_ABSTRACTION_COMPLETE);

    // state() does not refresh: the instances this store holds were the ones told
    assertThat(climate.state().stale).isTrue();
    assertThat(landuse.state().hillslopeCodes).isEmpty();
  }

  @Test
  void aControllerReachesItsSiblingsThroughTheStoreThatBoundIt() {
    Path run = runsRoot.resolve("run-5");
    Ron ron = Ron.create(store, run, "n", "o", "c");
    assertThat(ron.store()).isSameAs(store);
    assertThat(store.ignoreLock(Climate.class, run).store()).isSameAs(store);
    try (NoDbStore other = NoDbStore.builder().lockClient(locks).build()) {
      Ron elsewhere = other.getInstance(Ron.class, run);
      Climate climateHere = store.getInstance(Climate.class, run);
      Climate climateThere = other.getInstance(Climate.class, run);
      assertThat(climateThere).isNotSameAs(climateHere);

      elsewhere.trigger(TriggerEvent.WATERSHED_ABSTRACTION_COMPLETE);

      assertThat(elsewhere.store()).isSameAs(other);
      assertThat(climateThere.state().stale).as("told through its own store").isTrue();
      assertThat(climateHere.state().stale).as("not this store's instance").isFalse();
      assertThat(store.getInstance(Climate.class, run).state().stale)
          .as("which still sees the file the other store's instance dumped")
          .isTrue();
    }
  }

  @Test
  void triggerEventsAreDistinct() {
    Set<String> names =
        Arrays.stream(TriggerEvent.values()).map(Enum::name).collect(Collectors.toSet());
    assertThat(names).hasSize(TriggerEvent.values().length);
    assertThat(TriggerEvent.LANDUSE_BUILD_COMPLETE)
        .isNotEqualTo(TriggerEvent.CLIMATE_BUILD_COMPLETE);
  }

  @Test
  void parseInputsIsAllOrNothing() {
    Path run = runsRoot.resolve("run-3");
    Ron.create(store, run, "n", "o", "c");
    Climate climate = store.getInstance(Climate.class, run);
    assertThat(climate.parseInputs(List.of("2000 1 1 2.0", "2000 1 2 4.0", "2000 2 1 1.0")))
        .isEqualTo(3);
    assertThat(climate.state().monthlyPrecipMm.get(0)).isEqualTo(3.0);
    long version = climate.version();

    assertThatThrownBy(() -> climate.parseInputs(List.of("2000 3 1 9.0", "garbage")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage");
    assertThat(climate.version()).isEqualTo(version);
    assertThat(climate.state().parsedRecords).isEqualTo(3);
  }

  @Test
  void landuseRebuildIsAllOrNothing() {
    Path run = runsRoot.resolve("run-4");
    Ron.create(store, run, "n", "o", "c");
    Landuse landuse = store.getInstance(Landuse.class, run);
    landuse.rebuild(List.of("h1", "h2"), h -> 7);
    assertThatThrownBy(
            () ->
                landuse.rebuild(
                    List.of("h1", "h2", "h3"),
                    h -> {
                      if (h.equals("h3")) {
                        throw new IllegalStateException("no raster cell for " + h);
                      }
                      return 9;
                    }))
        .hasMessageContaining("h3");
    assertThat(landuse.code("h1")).isEqualTo(7);
    assertThat(landuse.code("h3")).isEqualTo(-1);
    assertThat(landuse.state().builds).isEqualTo(1);
  }

  @Test
  void aFormatZeroFileFromThePythonOriginalIsMigratedToFormatOneWithoutLosingAField()
      throws IOException {
    Path run = Files.createDirectories(runsRoot.resolve("legacy-run"));
    byte[] original;
    try (InputStream in = getClass().getResourceAsStream("/legacy/climate-format0.nodb")) {
      original = in.readAllBytes();
    }
    Files.write(run.resolve("climate.nodb"), original);
    Climate climate = store.getInstance(Climate.class, run);
    assertThat(climate.station()).isEqualTo("108062");
    assertThat(climate.state().startYear).isEqualTo(1990);
    assertThat(climate.state().endYear).isEqualTo(2016);
    assertThat(climate.state().modeCode).as("a py/reduce enum, not 0").isEqualTo(8);
    assertThat(climate.state().mode).isEqualTo("observed");
    assertThat(climate.state().futureStartYear).as("empty string, not 0").isNull();
    assertThat(climate.state().closestStations).hasSize(3);
    assertThat(climate.format()).isZero();
    assertThat(climate.version()).isZero();
    assertThat(climate.legacyReport().orElseThrow().kept())
        .contains("_config", "_mods", "_localized_tmax", "_ss_storm_date", "wd");

    climate.setStation("108062", 1990, 2020);

    JsonNode file = new ObjectMapper().readTree(run.resolve("climate.nodb").toFile());
    assertThat(file.at("/nodb/format").asInt()).isEqualTo(1);
    assertThat(file.at("/nodb/type").asText()).isEqualTo("climate");
    assertThat(file.at("/nodb/version").asLong()).isEqualTo(1);
    assertThat(file.at("/nodb/legacy/pythonClass").asText())
        .isEqualTo("wepppy.nodb.climate.Climate");
    assertThat(file.at("/state/station").asText()).isEqualTo("108062");
    assertThat(file.at("/state/closestStations/0/parpath").asText()).endsWith("ID108062.PAR");
    assertThat(file.at("/legacy/_ss_storm_date").asText()).isEqualTo("4 15 01");
    assertThat(file.at("/legacy/_config").asText()).isEqualTo("0.cfg");
    String backup = file.at("/nodb/legacy/original").asText();
    assertThat(Files.readAllBytes(run.resolve(backup)))
        .as("original kept beside")
        .isEqualTo(original);

    climate.setStation("108062", 1991, 2020);
    JsonNode again = new ObjectMapper().readTree(run.resolve("climate.nodb").toFile());
    assertThat(again.get("legacy")).as("kept by every later dump").isEqualTo(file.get("legacy"));
    assertThat(again.at("/nodb/legacy")).isEqualTo(file.at("/nodb/legacy"));
  }

  @Test
  void anotherControllersLegacyFileIsRefusedAndLeftAlone() throws IOException {
    Path run = Files.createDirectories(runsRoot.resolve("legacy-run-3"));
    byte[] landuse =
        "{\"py/object\": \"wepppy.nodb.landuse.Landuse\", \"domlc_d\": {}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(run.resolve("climate.nodb"), landuse);
    assertThatThrownBy(() -> store.getInstance(Climate.class, run))
        .isInstanceOf(io.nodb.store.NoDbLegacyFormatException.class)
        .hasMessageContaining("wepppy.nodb.landuse.Landuse");
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(landuse);
  }

  @Test
  void creatingARunOverALegacyFileRefusesAndKeepsTheFile() throws IOException {
    Path run = Files.createDirectories(runsRoot.resolve("legacy-run-2"));
    try (InputStream in = getClass().getResourceAsStream("/legacy/climate-format0.nodb")) {
      Files.copy(in, run.resolve("climate.nodb"));
    }
    byte[] legacy = Files.readAllBytes(run.resolve("climate.nodb"));
    assertThatThrownBy(() -> store.create(Climate.class, run, c -> c.station = "X"))
        .isInstanceOf(io.nodb.store.NoDbStaleWriteException.class);
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(legacy);
  }
}
