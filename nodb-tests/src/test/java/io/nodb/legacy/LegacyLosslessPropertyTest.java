package io.nodb.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.controllers.Climate;
import io.nodb.controllers.TriggerEvent;
import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbTree;
import io.nodb.store.internal.LegacyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Lossless by construction: generated jsonpickle documents (every tag shape the reader decodes,
 * nested at random; mapped fields with exact values and with values the typed state cannot hold
 * exactly: years as {@code 1.5e3}, {@code 1e20}, text or lists, stations that are no objects or
 * have a text distance) are read by the store, dumped as format 1 and then mutated any number of
 * times, with fresh stores (other processes) in between; every original leaf stays reachable in the
 * file: fields the controller does not map verbatim in the {@code legacy} section, mapped objects
 * (the climate's stations, a tree's fields) with every decoded leaf, and the original bytes beside
 * the file.
 */
class LegacyLosslessPropertyTest {

  /** Reads floats as the exact decimals of the file (a kept 1e-400 must not compare as 0.0). */
  private static final ObjectMapper M =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
              false);

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final AtomicInteger RUN = new AtomicInteger();
  private static Path runsRoot;

  @BeforeContainer
  static void createRoot() throws IOException {
    runsRoot = Files.createTempDirectory("nodb-lossless");
  }

  @AfterContainer
  static void deleteRoot() throws IOException {
    try (var files = Files.walk(runsRoot)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- generators of jsonpickle values ----

  private static Arbitrary<JsonNode> leaf() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-100_000, 100_000).map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).map(d -> (JsonNode) F.numberNode(d)),
        exoticFloat(),
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .ofMaxLength(12)
            .map(s -> (JsonNode) F.textNode(s)),
        Arbitraries.of(F.booleanNode(true), F.booleanNode(false), F.nullNode()));
  }

  /**
   * Floats a double does not hold exactly, written as decimals: exponents far below a double's
   * range ({@code 1e-400}, which a double reads as 0.0), up to its top ({@code e308}), and
   * mantissas of up to 40 digits.
   */
  private static Arbitrary<JsonNode> exoticFloat() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40),
            Arbitraries.oneOf(
                Arbitraries.integers().between(-9999, -300),
                Arbitraries.integers().between(-20, 20),
                Arbitraries.integers().between(280, 300)),
            Arbitraries.of(true, false))
        .as(
            (digits, exp, negative) ->
                new java.math.BigDecimal((negative ? "-" : "") + "1." + digits + "e" + exp))
        .filter(d -> Double.isFinite(d.doubleValue()))
        // a decimal of scale 0 would be written as an integer: give it the digit a float has
        .map(d -> (JsonNode) F.numberNode(d.scale() == 0 ? d.setScale(1) : d));
  }

  private static Arbitrary<String> key() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars('_').ofMinLength(1).ofMaxLength(8),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4).map(s -> "@" + s));
  }

  private static Arbitrary<JsonNode> value(int depth) {
    if (depth == 0) {
      return leaf();
    }
    Arbitrary<JsonNode> inner = Arbitraries.lazy(() -> value(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, leaf()),
        net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(LegacyLosslessPropertyTest::array)),
        net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> tagged("py/tuple", array(l)))),
        net.jqwik.api.Tuple.of(1, leaf().list().ofMaxSize(4).map(l -> tagged("py/set", array(l)))),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.maps(key(), inner).ofMaxSize(4).map(m -> dict(m, null))),
        net.jqwik.api.Tuple.of(
            2, Arbitraries.maps(key(), inner).ofMaxSize(4).map(m -> dict(m, "wepppy.x.Summary"))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-1, 9).map(n -> enumOf(n, false))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-1, 9).map(n -> enumOf(n, true))),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(12)
                .map(b -> tagged("py/b64", F.textNode(Base64.getEncoder().encodeToString(b))))),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.doubles()
                .between(-10, 10)
                .ofScale(2)
                .list()
                .ofMaxSize(5)
                .map(l -> ndarray(l))));
  }

  private static ArrayNode array(List<JsonNode> l) {
    ArrayNode a = F.arrayNode();
    l.forEach(a::add);
    return a;
  }

  private static ObjectNode tagged(String tag, JsonNode v) {
    ObjectNode o = F.objectNode();
    o.set(tag, v);
    return o;
  }

  private static ObjectNode dict(Map<String, JsonNode> m, String pyClass) {
    ObjectNode o = F.objectNode();
    if (pyClass != null) {
      o.put("py/object", pyClass);
    }
    m.forEach(o::set);
    return o;
  }

  private static JsonNode enumOf(int n, boolean old) {
    ArrayNode reduce = F.arrayNode();
    reduce.add(tagged("py/type", F.textNode("wepppy.nodb.x.Mode")));
    reduce.add(tagged("py/tuple", F.arrayNode().add(n)));
    if (old) {
      reduce.addNull().addNull().addNull();
    }
    return tagged("py/reduce", reduce);
  }

  private static JsonNode ndarray(List<Double> values) {
    ObjectNode o = F.objectNode().put("py/object", "numpy.ndarray").put("dtype", "float64");
    ArrayNode a = o.putArray("values");
    values.forEach(a::add);
    return o;
  }

  /** A value of a mapped integer field: exact, or one the state cannot hold exactly. */
  private static Arbitrary<JsonNode> yearValue() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1900, 2100).map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.of(
            F.textNode(""),
            F.textNode("1990"),
            F.textNode("soon"),
            F.numberNode(1.5e3),
            F.numberNode(12.0),
            F.numberNode(1e20),
            F.numberNode(new java.math.BigDecimal("1e-400")),
            F.numberNode(99_999_999_999L),
            F.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
            F.booleanNode(true),
            F.arrayNode().add(1990),
            F.objectNode().put("py/object", "wepppy.x.Year")));
  }

  /** A value of the station field: an id string, or something else. */
  private static Arbitrary<JsonNode> stationValue() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(6)
            .map(t -> (JsonNode) F.textNode(t)),
        Arbitraries.of(
            F.numberNode(108062), F.textNode(""), F.objectNode().put("a", 1), F.arrayNode()));
  }

  /** A station: a StationMeta object whose typed fields may hold the wrong types, or no object. */
  private static Arbitrary<JsonNode> station() {
    Arbitrary<JsonNode> meta =
        net.jqwik.api.Combinators.combine(
                Arbitraries.maps(key(), value(2)).ofMaxSize(4),
                Arbitraries.of(
                    (JsonNode) F.numberNode(26.5),
                    F.numberNode(26),
                    F.textNode("far"),
                    F.numberNode(new java.math.BigDecimal("1e-400")),
                    F.numberNode(new java.math.BigDecimal("26.50000000000000000000001")),
                    F.nullNode(),
                    F.arrayNode().add(1.0)),
                Arbitraries.of((JsonNode) F.textNode("st"), F.numberNode(7), F.objectNode()))
            .as(
                (m, distance, id) -> {
                  ObjectNode st = dict(m, "wepppy.climates.cligen.cligen.StationMeta");
                  st.set("distance", distance);
                  st.set("id", id);
                  return (JsonNode) st;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, meta),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.of((JsonNode) F.textNode("108062"), F.numberNode(5), F.nullNode())));
  }

  /**
   * A climate document: mapped fields with exact or ill-typed values, stations (some not objects,
   * some with ill-typed fields), and unmapped fields of any shape.
   */
  @Provide
  Arbitrary<ObjectNode> climateDocs() {
    Arbitrary<Map<String, JsonNode>> extras =
        Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(s -> "x_" + s),
                value(3))
            .ofMaxSize(8);
    Arbitrary<JsonNode> stations =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, station().list().ofMaxSize(3).map(l -> (JsonNode) array(l))),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.of((JsonNode) F.textNode("none"), F.objectNode().put("a", 1))));
    return net.jqwik.api.Combinators.combine(
            extras,
            stations,
            Arbitraries.integers().between(-1, 9),
            Arbitraries.of(true, false),
            yearValue(),
            yearValue(),
            stationValue())
        .as(
            (x, st, mode, wrapped, year, inputYears, stationId) -> {
              ObjectNode fields = F.objectNode();
              fields.set("_climatestation", stationId);
              fields.set("_climate_mode", enumOf(mode, !wrapped));
              fields.set("_closest_stations", st);
              fields.set("_observed_start_year", year);
              fields.set("_input_years", inputYears);
              x.forEach(fields::set);
              ObjectNode doc = F.objectNode().put("py/object", "wepppy.nodb.climate.Climate");
              if (wrapped) {
                doc.set("py/state", fields);
              } else {
                doc.setAll(fields);
              }
              return doc;
            });
  }

  @Provide
  Arbitrary<List<Integer>> mutations() {
    return Arbitraries.integers().between(0, 4).list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 60)
  void aMigratedClimateKeepsEveryOriginalLeafThroughAnyMutations(
      @ForAll("climateDocs") ObjectNode doc, @ForAll("mutations") List<Integer> ops)
      throws IOException {
    Path run = Files.createDirectories(runsRoot.resolve("c" + RUN.incrementAndGet()));
    byte[] original = M.writeValueAsBytes(doc);
    Files.write(run.resolve("climate.nodb"), original);
    ObjectNode fields = doc.has("py/state") ? (ObjectNode) doc.get("py/state") : doc;
    JsonNode decoded =
        LegacyDecoder.decode(run.resolve("climate.nodb"), (ObjectNode) M.readTree(original))
            .fields();

    int year = 2000;
    for (int op : ops) {
      try (LockClient locks = LockClient.builder().local(runsRoot).build();
          NoDbStore store = NoDbStore.builder().lockClient(locks).build()) {
        Climate c = store.getInstance(Climate.class, run);
        switch (op) {
          case 0 -> c.setStation("s" + year, year, year + 3);
          case 1 -> c.parseInputs(List.of(year + " 1 1 2.5", year + " 2 1 0.5"));
          case 2 -> c.on(TriggerEvent.WATERSHED_ABSTRACTION_COMPLETE);
          case 3 -> c.locked(s -> s.closestStations.forEach(st -> st.years = 12.0));
          default -> c.locked(s -> {});
        }
        year++;
      }
    }

    JsonNode file = M.readTree(run.resolve("climate.nodb").toFile());
    assertThat(file.at("/nodb/format").asInt()).isEqualTo(1);
    assertThat(Files.readAllBytes(run.resolve(file.at("/nodb/legacy/original").asText())))
        .isEqualTo(original);
    // every original field: verbatim in the legacy section, or mapped exactly into the state
    JsonNode state = file.path("state");
    for (Map.Entry<String, JsonNode> f : fields.properties()) {
      if (f.getKey().equals("py/object")) {
        continue; // in the header's legacy.pythonClass
      }
      JsonNode kept = file.path("legacy").get(f.getKey());
      if (kept != null) {
        assertThat(canonical(kept))
            .as("kept verbatim: " + f.getKey())
            .isEqualTo(canonical(f.getValue()));
        continue;
      }
      JsonNode v = decoded.get(f.getKey());
      switch (f.getKey()) {
        case "_climatestation" -> {
          assertThat(v.isTextual() && !v.asText().isEmpty()).as("exact: " + v).isTrue();
          if (!ops.contains(0)) {
            assertThat(state.path("station")).isEqualTo(v);
          }
        }
        case "_input_years" -> assertThat(state.path("inputYears")).isEqualTo(v);
        case "_observed_start_year" -> assertThat(state.path("observedStartYear")).isEqualTo(v);
        case "_climate_mode" -> {
          assertThat(state.path("modeCode")).isEqualTo(v.path("@enum"));
          assertThat(state.path("modeClass")).isEqualTo(v.path("@class"));
        }
        case "_closest_stations" -> {
          assertThat(state.path("closestStations").size()).isEqualTo(v.size());
          for (int i = 0; i < v.size(); i++) {
            JsonNode inFile = state.path("closestStations").get(i);
            for (Map.Entry<String, JsonNode> leaf : leaves(v.get(i), "").entrySet()) {
              if (ops.contains(3) && leaf.getKey().equals("/years")) {
                continue; // mutated on purpose
              }
              assertThat(canonical(inFile.at(leaf.getKey())))
                  .as("station %d leaf %s", i, leaf.getKey())
                  .isEqualTo(canonical(leaf.getValue()));
            }
          }
        }
        default -> throw new AssertionError("field " + f.getKey() + " is neither kept nor mapped");
      }
    }
  }

  @Provide
  Arbitrary<ObjectNode> treeDocs() {
    return Arbitraries.maps(key().filter(k -> !k.startsWith("@")), value(3))
        .ofMinSize(1)
        .ofMaxSize(8)
        .map(m -> dict(m, "wepppy.nodb.wepp.Wepp"));
  }

  @Property(tries = 60)
  void aMigratedTreeKeepsEveryOriginalLeafThroughAnyMutations(
      @ForAll("treeDocs") ObjectNode doc, @ForAll("mutations") List<Integer> ops)
      throws IOException {
    Path run = Files.createDirectories(runsRoot.resolve("t" + RUN.incrementAndGet()));
    byte[] original = M.writeValueAsBytes(doc);
    Files.write(run.resolve("wepp.nodb"), original);
    JsonNode decoded =
        LegacyDecoder.decode(run.resolve("wepp.nodb"), (ObjectNode) M.readTree(original)).fields();
    int n = 0;
    for (int op : ops) {
      try (LockClient locks = LockClient.builder().local(runsRoot).build();
          NoDbStore store = NoDbStore.builder().lockClient(locks).build()) {
        NoDbTree t = store.getTree(run, "wepp.nodb");
        int k = n++;
        switch (op) {
          case 0 -> t.locked(s -> s.put("new_" + k, k));
          case 1 -> t.locked(s -> s.putObject("obj_" + k).put("v", "x"));
          case 2 -> t.locked(s -> s.remove("new_" + (k - 1)));
          default -> t.locked(s -> {});
        }
      }
    }
    JsonNode file = M.readTree(run.resolve("wepp.nodb").toFile());
    assertThat(file.at("/nodb/legacy/pythonClass").asText()).isEqualTo("wepppy.nodb.wepp.Wepp");
    assertThat(Files.readAllBytes(run.resolve(file.at("/nodb/legacy/original").asText())))
        .isEqualTo(original);
    for (Map.Entry<String, JsonNode> leaf : leaves(decoded, "").entrySet()) {
      assertThat(canonical(file.path("state").at(leaf.getKey())))
          .as(leaf.getKey())
          .isEqualTo(canonical(leaf.getValue()));
    }
  }

  /**
   * A tree with every number replaced by its exact value as text (whether it is a float, and its
   * decimal without trailing zeros), so 26.5 read as a double and 26.5 read as a decimal are equal,
   * but 1e-400 and 0.0, or 12 and 12.0, are not.
   */
  private static JsonNode canonical(JsonNode n) {
    if (n.isNumber()) {
      String kind = n.isFloatingPointNumber() ? "\u0000float:" : "\u0000int:";
      java.math.BigDecimal d = n.decimalValue();
      return F.textNode(kind + (d.signum() == 0 ? "0" : d.stripTrailingZeros().toString()));
    }
    if (n.isArray()) {
      ArrayNode a = F.arrayNode();
      n.forEach(e -> a.add(canonical(e)));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = F.objectNode();
      n.properties().forEach(e -> o.set(e.getKey(), canonical(e.getValue())));
      return o;
    }
    return n;
  }

  /** Every leaf (value node, empty array or object) of a tree by its JSON pointer. */
  private static Map<String, JsonNode> leaves(JsonNode n, String at) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    if (n.isValueNode() || n.isEmpty()) {
      out.put(at, n);
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        out.putAll(leaves(n.get(i), at + "/" + i));
      }
    } else {
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      for (String k : names) {
        out.putAll(leaves(n.get(k), at + "/" + k.replace("~", "~0").replace("/", "~1")));
      }
    }
    return out;
  }
}
