package io.nodb.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbLegacyFormatException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The format-0 reader: every jsonpickle shape it decodes, and every way it refuses a file. */
class LegacyDecoderTest {

  private static final ObjectMapper M = new ObjectMapper();
  private static final Path FILE = Path.of("/runs/r/climate.nodb");

  private static LegacyDocument decode(String json) throws Exception {
    return LegacyDecoder.decode(FILE, (ObjectNode) M.readTree(json));
  }

  private static JsonNode field(String json, String name) throws Exception {
    return decode(json).fields().get(name);
  }

  @Test
  void objectsKeepTheirPythonClassAndTuplesAndSetsBecomeArrays() throws Exception {
    LegacyDocument d =
        decode(
            "{\"py/object\": \"wepppy.nodb.ron.Ron\", \"_map\": {\"py/object\":"
                + " \"wepppy.nodb.ron.Map\", \"utm\": {\"py/tuple\": [549077.8, 5230286.4, 11,"
                + " \"T\"]}}, \"_ids\": {\"py/set\": [1, 2]}, \"wd\": \"r\"}");
    assertThat(d.pythonClass()).isEqualTo("wepppy.nodb.ron.Ron");
    assertThat(d.stateWrapped()).isFalse();
    assertThat(d.fields().toString())
        .isEqualTo(
            "{\"_map\":{\"@class\":\"wepppy.nodb.ron.Map\",\"utm\":[549077.8,5230286.4,11,\"T\"]},"
                + "\"_ids\":[1,2],\"wd\":\"r\"}");
    assertThat(d.original().get("_map").get("utm").has("py/tuple")).as("original kept").isTrue();
  }

  @Test
  void bothEnumShapesDecodeToTheirValueWithTheirClass() throws Exception {
    String old =
        "{\"py/object\": \"C\", \"m\": {\"py/reduce\": [{\"py/type\": \"wepppy.nodb.climate.ClimateMode\"},"
            + " {\"py/tuple\": [8]}, null, null, null]}}";
    String newer =
        "{\"py/object\": \"C\", \"m\": {\"py/reduce\": [{\"py/type\": \"wepppy.nodb.climate.ClimateMode\"},"
            + " {\"py/tuple\": [8]}]}}";
    String expected = "{\"@class\":\"wepppy.nodb.climate.ClimateMode\",\"@enum\":8}";
    assertThat(field(old, "m").toString()).isEqualTo(expected);
    assertThat(field(newer, "m").toString()).isEqualTo(expected);
  }

  @Test
  void otherReducesTypesNewargsAndSeqAreKeptWithTheirTags() throws Exception {
    assertThat(
            field(
                    "{\"py/object\": \"C\", \"r\": {\"py/reduce\": [{\"py/type\": \"collections.OrderedDict\"},"
                        + " {\"py/tuple\": []}, null, null, {\"py/tuple\": [{\"py/tuple\": [\"a\", 1]}]}]}}",
                    "r")
                .toString())
        .isEqualTo(
            "{\"@class\":\"collections.OrderedDict\",\"@reduce\":[{\"@type\":\"collections.OrderedDict\"},"
                + "[],null,null,[[\"a\",1]]]}");
    assertThat(
            field(
                    "{\"py/object\": \"C\", \"w\": {\"py/object\": \"x.Window\", \"py/newargs\":"
                        + " {\"py/tuple\": [3]}, \"py/seq\": [1990, 1991, 1992]}}",
                    "w")
                .toString())
        .isEqualTo("{\"@class\":\"x.Window\",\"@newargs\":[3],\"@seq\":[1990,1991,1992]}");
  }

  @Test
  void aTopLevelPyStateIsUnwrappedAndNestedStatesToo() throws Exception {
    LegacyDocument d =
        decode(
            "{\"py/object\": \"wepppy.nodb.core.landuse.Landuse\", \"py/state\": {\"wd\": \"w\","
                + " \"s\": {\"py/object\": \"x.S\", \"py/state\": {\"a\": 1}}, \"t\": {\"py/object\":"
                + " \"x.T\", \"py/state\": {\"py/tuple\": [1, 2]}}}}");
    assertThat(d.stateWrapped()).isTrue();
    assertThat(d.fields().toString())
        .isEqualTo(
            "{\"wd\":\"w\",\"s\":{\"@class\":\"x.S\",\"a\":1},\"t\":{\"@class\":\"x.T\",\"@state\":[1,2]}}");
  }

  @Test
  void idsAndRefsAreResolvedInJsonpickleNumbering() throws Exception {
    // root 0, py/state 1, list 2, object 3 (jsonpickle 4.1.2 numbering)
    LegacyDocument d =
        decode(
            "{\"py/object\": \"C\", \"py/state\": {\"l\": [{\"py/object\": \"x.S\", \"id\": \"a\"},"
                + " {\"py/id\": 3}], \"p\": {\"k\": 1}, \"q\": {\"py/ref\": \"/p\"}}}");
    assertThat(d.fields().get("l").toString())
        .isEqualTo("[{\"@class\":\"x.S\",\"id\":\"a\"},{\"@class\":\"x.S\",\"id\":\"a\"}]");
    assertThat(d.fields().get("q").toString()).isEqualTo("{\"k\":1}");
  }

  /**
   * Documents written by the real jsonpickle 4.1.2, with what jsonpickle itself decodes them to
   * (both checked in; made by {@code jsonpickle/generate.py}): nodb resolves every {@code py/id} to
   * the same value, or refuses the cycle jsonpickle builds.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "shared-list",
        "shared-objects",
        "tuples-and-sets",
        "state-shared",
        "self-reference",
        "list-cycle"
      })
  void idsResolveAsJsonpickle412DecodesThem(String name) throws Exception {
    String doc = resource(name + ".nodb");
    JsonNode expected = M.readTree(resource(name + ".expected.json"));
    if (expected.has("refused")) {
      assertThatThrownBy(() -> decode(doc))
          .isInstanceOfSatisfying(
              NoDbLegacyFormatException.class,
              e -> {
                assertThat(e.tag()).isEqualTo("py/id");
                assertThat(e.getMessage()).contains(expected.get("refused").asText());
              });
      return;
    }
    LegacyDocument d = decode(doc);
    assertThat(d.pythonClass()).isEqualTo(expected.get("pythonClass").asText());
    assertThat(d.fields()).isEqualTo(expected.get("fields"));
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = LegacyDecoderTest.class.getResourceAsStream("jsonpickle/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void bytesAndNumpyArraysBecomeArraysKeepingTheirDtype() throws Exception {
    assertThat(field("{\"py/object\": \"C\", \"b\": {\"py/b64\": \"AAEC/w==\"}}", "b").toString())
        .isEqualTo("{\"@class\":\"builtins.bytes\",\"@bytes\":[0,1,2,255]}");
    assertThat(
            field(
                    "{\"py/object\": \"C\", \"a\": {\"py/object\": \"numpy.ndarray\", \"dtype\":"
                        + " \"int32\", \"values\": \"AQAAAAIAAAADAAAABAAAAAUAAAAGAAAA\", \"shape\": [2, 3]}}",
                    "a")
                .toString())
        .isEqualTo(
            "{\"@class\":\"numpy.ndarray\",\"dtype\":\"int32\",\"shape\":[2,3],\"values\":[[1,2,3],[4,5,6]]}");
    assertThat(
            field(
                    "{\"py/object\": \"C\", \"a\": {\"py/object\": \"numpy.ndarray\", \"dtype\":"
                        + " \"float64\", \"values\": [[1.5, 2.0], [0.0, -1.0]]}}",
                    "a")
                .toString())
        .isEqualTo(
            "{\"@class\":\"numpy.ndarray\",\"dtype\":\"float64\",\"shape\":[2,2],\"values\":[[1.5,2.0],[0.0,-1.0]]}");
    assertThat(
            field(
                    "{\"py/object\": \"C\", \"a\": {\"py/object\": \"numpy.ndarray\", \"dtype\":"
                        + " \">f8\", \"values\": \"P/gAAAAAAAA=\"}}",
                    "a")
                .get("values")
                .toString())
        .as("big-endian dtype")
        .isEqualTo("[1.5]");
  }

  @Test
  void plainKeysThatLookLikeDecoderKeysAreEscaped() throws Exception {
    assertThat(field("{\"py/object\": \"C\", \"d\": {\"@class\": 1}}", "d").toString())
        .isEqualTo("{\"@@class\":1}");
  }

  @Test
  void anUnknownTagIsRefusedNamingTheTagAndThePath() {
    assertThatThrownBy(
            () ->
                decode(
                    "{\"py/object\": \"C\", \"_closest_stations\": [{\"py/object\": \"S\"},"
                        + " {\"py/function\": \"os.system\"}]}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class,
            e -> {
              assertThat(e.tag()).isEqualTo("py/function");
              assertThat(e.jsonPath()).isEqualTo("$._closest_stations[1]");
              assertThat(e.path()).isEqualTo(FILE);
            });
    assertThatThrownBy(
            () -> decode("{\"py/object\": \"C\", \"x\": {\"py/repr\": \"os/os.getcwd\"}}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class, e -> assertThat(e.tag()).isEqualTo("py/repr"));
    assertThatThrownBy(
            () ->
                decode(
                    "{\"py/object\": \"C\", \"x\": {\"py/object\": \"S\", \"py/iterator\": []}}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class, e -> assertThat(e.tag()).isEqualTo("py/iterator"));
  }

  @Test
  void referenceCyclesAndReferencesToNothingAreRefused() {
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"self\": {\"py/id\": 0}}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class,
            e -> {
              assertThat(e.tag()).isEqualTo("py/id");
              assertThat(e.getMessage()).contains("cycle");
            });
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"l\": [[{\"py/id\": 2}]]}"))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("cycle");
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"x\": {\"py/id\": 99}}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class,
            e -> assertThat(e.getMessage()).contains("does not exist").contains("$.x"));
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"x\": {\"py/ref\": \"/nowhere\"}}"))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"p\": {\"q\": {\"py/ref\": \"/p\"}}}"))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("cycle");
    assertThatThrownBy(
            () -> decode("{\"py/object\": \"C\", \"a\": {\"b\": {\"py/ref\": \"$.a\"}}}"))
        .as("a JSON-path py/ref to its own container")
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  @Timeout(10)
  void aSmallFileThatExpandsToBillionsOfValuesIsRefusedQuickly() throws Exception {
    // each level references the previous one twice: 2^40 values once expanded
    StringBuilder json = new StringBuilder("{\"py/object\": \"C\", \"py/state\": {\"l0\": [1, 2]");
    // numbering: root 0, state 1, l0 2, then each level's list
    for (int i = 1; i <= 40; i++) {
      json.append(", \"l")
          .append(i)
          .append("\": [{\"py/id\": ")
          .append(i + 1)
          .append("}, {\"py/id\": ")
          .append(i + 1)
          .append("}]");
    }
    json.append("}}");
    assertThatThrownBy(() -> decode(json.toString()))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("once references and bytes are expanded");
  }

  @Test
  void hugeBytesAndShapesAreRefusedBeforeTheyAreAllocated() {
    String big = "A".repeat(1 << 16);
    assertThatThrownBy(
            () ->
                LegacyDecoder.decode(
                    FILE,
                    (ObjectNode)
                        M.readTree("{\"py/object\": \"C\", \"b\": {\"py/b64\": \"" + big + "\"}}"),
                    10_000))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("budget");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"py/object\": \"C\", \"a\": {\"py/object\": \"numpy.ndarray\", \"dtype\":"
                        + " \"uint8\", \"values\": \"AAH/\", \"shape\": [100000, 100000, 100000]}}"))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("shape");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"py/object\": \"C\", \"a\": {\"py/object\": \"numpy.ndarray\", \"dtype\":"
                        + " \"complex128\", \"values\": \"AAH/\"}}"))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("complex128");
  }

  @Test
  @Timeout(10)
  void deepNestingIsRefusedTypedWithoutAStackOverflow() {
    int depth = 5000;
    String json = "{\"py/object\": \"C\", \"d\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    EnvelopeCodec codec = new EnvelopeCodec(M);
    assertThatThrownBy(() -> codec.read(FILE, json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(NoDbCorruptFileException.class);
    // below the parser's limit, the decoder's own limit applies
    String deep = "{\"py/object\": \"C\", \"d\": " + "[".repeat(450) + "]".repeat(450) + "}";
    assertThatThrownBy(() -> codec.read(FILE, deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void hostileKeysAndValuesAreNeverCopiedWholeIntoAMessage() {
    String key = "k".repeat(40_000);
    assertThatThrownBy(
            () ->
                decode("{\"py/object\": \"C\", \"" + key + "\": {\"py/ref\": \"/" + key + "x\"}}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class,
            e -> {
              assertThat(e.getMessage().length()).isLessThan(1000);
              assertThat(e.jsonPath().length())
                  .isLessThanOrEqualTo(NoDbLegacyFormatException.MAX_EXCERPT);
            });
  }

  @Test
  void malformedTopLevelsAreRefused() {
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"py/state\": {\"py/tuple\": [1]}}"))
        .isInstanceOfSatisfying(
            NoDbLegacyFormatException.class, e -> assertThat(e.tag()).isEqualTo("py/tuple"));
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"py/state\": [1]}"))
        .isInstanceOf(NoDbLegacyFormatException.class);
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"py/state\": {}, \"x\": 1}"))
        .isInstanceOf(NoDbLegacyFormatException.class)
        .hasMessageContaining("beside");
    assertThatThrownBy(() -> decode("{\"py/object\": \"C\", \"py/newargs\": []}"))
        .isInstanceOf(NoDbLegacyFormatException.class);
  }
}
