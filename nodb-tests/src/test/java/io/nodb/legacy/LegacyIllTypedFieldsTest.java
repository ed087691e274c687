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
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mapped field whose value the typed state cannot hold exactly is never coerced away: it is kept
 * verbatim in the format-1 file's {@code legacy} section (and its typed field is null or holds only
 * what it can hold exactly), through a migration and later dumps. Each case here was lost or
 * coerced before (clamped years, stringified mods, dropped stations, a landuse map given as a list,
 * {@code 1.5e3} read as 1500).
 */
class LegacyIllTypedFieldsTest {

  /** Reads floats as the exact decimals of the file, so a kept 1e-400 is not compared as 0.0. */
  private static final ObjectMapper M =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
              false);

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

  static Stream<Arguments> illTyped() {
    String station =
        "{\"py/object\": \"wepppy.climates.cligen.cligen.StationMeta\", \"id\": \"108062\"";
    return Stream.of(
        Arguments.of(Climate.class, "_input_years", "1e20", "/inputYears", "null"),
        Arguments.of(Climate.class, "_input_years", "99999999999", "/inputYears", "null"),
        Arguments.of(Climate.class, "_input_years", "1.5e3", "/inputYears", "null"),
        Arguments.of(Climate.class, "_input_years", "12.0", "/inputYears", "null"),
        Arguments.of(Climate.class, "_input_years", "true", "/inputYears", "null"),
        Arguments.of(Climate.class, "_input_years", "\"many\"", "/inputYears", "null"),
        Arguments.of(Climate.class, "_observed_start_year", "\"\"", "/observedStartYear", "null"),
        Arguments.of(Climate.class, "_observed_start_year", "[1990]", "/observedStartYear", "null"),
        Arguments.of(Climate.class, "_climatestation", "{\"a\": 1}", "/station", "null"),
        Arguments.of(Climate.class, "_climatestation", "108062", "/station", "\"108062\""),
        Arguments.of(
            Climate.class,
            "_climate_mode",
            "{\"py/reduce\": [{\"py/type\": \"wepppy.nodb.climate.ClimateMode\"},"
                + " {\"py/tuple\": [\"x\"]}]}",
            "/modeCode",
            "null"),
        Arguments.of(
            Climate.class,
            "_climatestation_mode",
            "{\"py/reduce\": [{\"py/type\": \"wepppy.nodb.climate.ClimateStationMode\"},"
                + " {\"py/tuple\": [1]}]}",
            "/stationMode",
            "1"),
        Arguments.of(
            Climate.class,
            "_closest_stations",
            "[\"108062\", 5, null, " + station + "}]",
            "/closestStations/0/id",
            "\"108062\""),
        Arguments.of(
            Climate.class,
            "_closest_stations",
            "[" + station + ", \"distance\": \"far\", \"latitude\": 47}]",
            "/closestStations/0/distance",
            "null"),
        Arguments.of(Climate.class, "_closest_stations", "{\"a\": 1}", "/closestStations", "[]"),
        Arguments.of(
            Ron.class, "_mods", "[\"disturbed\", 1, {\"a\": 2}]", "/mods", "[\"disturbed\"]"),
        Arguments.of(Ron.class, "_mods", "\"disturbed\"", "/mods", "[]"),
        Arguments.of(Ron.class, "_name", "{\"py/tuple\": [1, 2]}", "/name", "null"),
        Arguments.of(Ron.class, "_name", "42", "/name", "\"42\""),
        Arguments.of(Ron.class, "_cellsize", "\"thirty\"", "/cellSize", "null"),
        Arguments.of(Ron.class, "_cellsize", "30", "/cellSize", "30.0"),
        // below a double's range: not 0.0, and the original survives every dump as written
        Arguments.of(Ron.class, "_cellsize", "1e-400", "/cellSize", "null"),
        Arguments.of(Ron.class, "_cellsize", "-2.5e-330", "/cellSize", "null"),
        // a mantissa longer than a double's: the nearest double, the original kept
        Arguments.of(Ron.class, "_cellsize", "30.0000000000000000001", "/cellSize", "30.0"),
        Arguments.of(Ron.class, "_cellsize", "\"30.5\"", "/cellSize", "30.5"),
        Arguments.of(Ron.class, "_cellsize", "\"1e-400\"", "/cellSize", "null"),
        Arguments.of(Ron.class, "_cellsize", "\"" + "9".repeat(1001) + "\"", "/cellSize", "null"),
        Arguments.of(
            Climate.class,
            "_closest_stations",
            "[" + station + ", \"distance\": 1e-400}]",
            "/closestStations/0/distance",
            "null"),
        Arguments.of(
            Watershed.class, "_outlet", "{\"actual_loc\": [-116.1, 1e-400]}", "/outletLon", "null"),
        Arguments.of(Ron.class, "_map", "[1, 2]", "/map", "null"),
        Arguments.of(Landuse.class, "domlc_d", "[\"42\", \"43\"]", "/hillslopeCodes", "{}"),
        Arguments.of(
            Landuse.class,
            "domlc_d",
            "{\"22\": \"forest\", \"23\": 42}",
            "/hillslopeCodes",
            "{\"23\": 42}"),
        Arguments.of(Landuse.class, "domlc_mofe_d", "{\"22\": [1]}", "/mofeCodes", "{}"),
        Arguments.of(
            Watershed.class, "_subs_summary", "{\"22\": \"gone\"}", "/subcatchmentSummaries", "{}"),
        Arguments.of(
            Watershed.class, "_outlet", "{\"actual_loc\": [\"a\", 1]}", "/outletLon", "null"));
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("illTyped")
  void aValueTheStateCannotHoldExactlyIsKeptVerbatimThroughDumps(
      Class<? extends NoDbBase<?>> controller,
      String field,
      String json,
      String typedPointer,
      String typedValue)
      throws IOException {
    ControllerType<?, ?> type = ControllerType.of(controller);
    String pythonClass = "wepppy.nodb." + type.typeName() + "." + controller.getSimpleName();
    String doc = "{\"py/object\": \"" + pythonClass + "\", \"" + field + "\": " + json + "}";
    Path run = Files.createDirectories(runsRoot.resolve("r" + Integer.toHexString(doc.hashCode())));
    byte[] original = doc.getBytes(StandardCharsets.UTF_8);
    Files.write(run.resolve(type.fileName()), original);
    JsonNode verbatim = M.readTree(json);

    assertThat(type.planLegacy(run.resolve(type.fileName()), original).kept())
        .as("planned as kept")
        .contains(field);
    for (int i = 0; i < 3; i++) {
      store.clearCache();
      NoDbBase<?> c = store.getInstance(controller, run);
      try (LockedScope<?> scope = c.lock()) {
        scope.commit();
      }
    }

    JsonNode file = M.readTree(run.resolve(type.fileName()).toFile());
    assertThat(file.at("/nodb/version").asInt()).isEqualTo(3);
    assertThat(file.path("legacy").get(field)).as("kept verbatim").isEqualTo(verbatim);
    assertThat(file.path("state").at(typedPointer))
        .as("typed %s holds only what it can hold exactly", typedPointer)
        .isEqualTo(M.readTree(typedValue));
    assertThat(Files.readAllBytes(run.resolve(file.at("/nodb/legacy/original").asText())))
        .isEqualTo(original);
    assertThat(Controllers.forFile(type.fileName())).contains(type);
  }

  @Test
  void exactValuesAreMappedOnlyOnce() throws IOException {
    String doc =
        "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"_input_years\": 30,"
            + " \"_climatestation\": \"nv263205\", \"_observed_start_year\": 1990,"
            + " \"_closest_stations\": [{\"py/object\": \"wepppy.climates.cligen.cligen.StationMeta\","
            + " \"id\": \"nv263205\", \"distance\": 26.5, \"latitude\": 47.32}]}";
    Path run = Files.createDirectories(runsRoot.resolve("exact"));
    Files.writeString(run.resolve("climate.nodb"), doc);
    Climate c = store.getInstance(Climate.class, run);
    assertThat(c.legacyReport().orElseThrow().kept()).isEmpty();
    c.locked(s -> {});
    ObjectNode file = (ObjectNode) M.readTree(run.resolve("climate.nodb").toFile());
    assertThat(file.path("legacy").isEmpty()).isTrue();
    assertThat(file.at("/state/inputYears").asInt()).isEqualTo(30);
    assertThat(file.at("/state/closestStations/0/distance").asDouble()).isEqualTo(26.5);
  }

  @Test
  void hugeNumbersInMappedAndKeptFieldsStayNumbersOrAreRefusedNamingThePath() throws IOException {
    String doc =
        "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"_input_years\":"
            + " 123456789012345678901234567890, \"_y\": -123456789012345678901234567890,"
            + " \"_z\": 1.7976931348623157e308}";
    Path run = Files.createDirectories(runsRoot.resolve("huge"));
    Files.writeString(run.resolve("climate.nodb"), doc);
    Climate c = store.getInstance(Climate.class, run);
    c.locked(s -> {});
    store.clearCache();
    store.getInstance(Climate.class, run).locked(s -> {});
    JsonNode file = M.readTree(run.resolve("climate.nodb").toFile());
    assertThat(file.at("/legacy/_input_years").bigIntegerValue())
        .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    assertThat(file.at("/legacy/_y").bigIntegerValue())
        .isEqualTo(new java.math.BigInteger("-123456789012345678901234567890"));
    assertThat(file.at("/legacy/_z").doubleValue()).isEqualTo(Double.MAX_VALUE);
    assertThat(file.at("/state/inputYears").isNull()).isTrue();

    // a float beyond a double would be dumped as the string "Infinity": refused instead
    Path inf = Files.createDirectories(runsRoot.resolve("inf"));
    String bad = "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"_x\": [1, -1e400]}";
    Files.writeString(inf.resolve("climate.nodb"), bad);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.getInstance(Climate.class, inf))
        .isInstanceOf(io.nodb.store.NoDbLegacyFormatException.class)
        .hasMessageContaining("beyond the range of a double")
        .hasMessageContaining("$._x[1]");
    assertThat(Files.readString(inf.resolve("climate.nodb"))).isEqualTo(bad);
  }

  @Test
  void keptNumbersOutsideADoublesPrecisionSurviveEveryDumpInValue() throws IOException {
    String[] numbers = {
      "1e-400",
      "-1E-9999",
      "1e308",
      "9.999999999999999999999999999999e307",
      "0.1000000000000000055511151231257827021181583404541015625",
      "123456789.123456789123456789",
      "1e-05",
      "12.0",
      "-0.0",
      "1.0e1",
      "10E0",
      "-5e0"
    };
    StringBuilder doc = new StringBuilder("{\"py/object\": \"wepppy.nodb.ron.Ron\"");
    for (int i = 0; i < numbers.length; i++) {
      doc.append(", \"_n").append(i).append("\": ").append(numbers[i]);
      doc.append(", \"_l").append(i).append("\": {\"py/tuple\": [").append(numbers[i]).append("]}");
    }
    doc.append(", \"_cellsize\": 1e-400}");
    Path run = Files.createDirectories(runsRoot.resolve("tiny"));
    Files.writeString(run.resolve("ron.nodb"), doc);
    for (int i = 0; i < 3; i++) {
      store.clearCache();
      store.getInstance(Ron.class, run).locked(s -> {});
    }
    JsonNode file = M.readTree(run.resolve("ron.nodb").toFile());
    assertThat(file.at("/nodb/version").asInt()).isEqualTo(3);
    assertThat(file.at("/state/cellSize").isNull()).as("1e-400 is not 0.0").isTrue();
    assertThat(file.at("/legacy/_cellsize").decimalValue()).isEqualByComparingTo("1e-400");
    for (int i = 0; i < numbers.length; i++) {
      java.math.BigDecimal want = new java.math.BigDecimal(numbers[i]);
      for (JsonNode kept :
          java.util.List.of(
              file.at("/legacy/_n" + i), file.at("/legacy/_l" + i + "/py~1tuple/0"))) {
        assertThat(kept.isFloatingPointNumber())
            .as(numbers[i] + " stays a float: " + kept)
            .isTrue();
        assertThat(kept.decimalValue()).as(numbers[i]).isEqualByComparingTo(want);
      }
    }
  }

  @Test
  void aTreesFloatsStayExactFloatsThroughEveryDump() throws IOException {
    Path run = Files.createDirectories(runsRoot.resolve("tree"));
    Files.writeString(
        run.resolve("wepp.nodb"),
        "{\"py/object\": \"wepppy.nodb.wepp.Wepp\", \"a\": -1.0, \"b\": 1e-400, \"c\": 1.0e1,"
            + " \"d\": 0.1000000000000000000000000001, \"e\": 7}");
    for (int i = 0; i < 3; i++) {
      store.clearCache();
      store.getTree(run, "wepp.nodb").locked(s -> {});
    }
    JsonNode state = M.readTree(run.resolve("wepp.nodb").toFile()).path("state");
    assertThat(state.get("a").isFloatingPointNumber()).as("-1.0 stays a float").isTrue();
    assertThat(state.get("a").decimalValue()).isEqualByComparingTo("-1");
    assertThat(state.get("b").decimalValue()).isEqualByComparingTo("1e-400");
    assertThat(state.get("c").isFloatingPointNumber()).as("1.0e1 stays a float").isTrue();
    assertThat(state.get("d").decimalValue())
        .isEqualByComparingTo("0.1000000000000000000000000001");
    assertThat(state.get("e").isInt()).isTrue();
  }
}
