package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.controllers.Climate;
import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nodb inspect} end to end as a separate process: a file written by the real store, a legacy
 * file, every kind of corrupt file (exit 4, a precise diagnosis, the file untouched), and a missing
 * file. Inspect uses no lock backend, so one backend covers it.
 */
class InspectCliIT {

  private static final FileTime OLD = FileTime.fromMillis(1_600_000_000_000L);

  @TempDir Path runsRoot;

  @Test
  void aFileWrittenByTheStoreIsValidAndShownWithHeaderAndState() throws IOException {
    Path run = runsRoot.resolve("inspect-run");
    try (LockClient client = LockClient.builder().local(runsRoot).build();
        NoDbStore store = NoDbStore.builder().lockClient(client).build()) {
      store.create(Climate.class, run, s -> s.station = "ID106388");
      store.getInstance(Climate.class, run).setStation("ID106388", 1990, 2020);
    }
    Path file = run.resolve("climate.nodb");
    Files.setLastModifiedTime(file, OLD);
    byte[] before = Files.readAllBytes(file);

    CliProcess.Result text = CliProcess.nodb("inspect", file.toString());
    CliProcess.Result json = CliProcess.nodb("inspect", file.toString(), "--json");

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.stdout())
        .contains("valid    yes", "Climate controller", "STATE", "\"station\" : \"ID106388\"");
    assertThat(CliContract.line(text.stdout(), "version")).endsWith(" 2");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode doc = json.json();
    assertThat(doc.path("valid").asBoolean()).isTrue();
    assertThat(doc.path("controller").asText()).isEqualTo("climate.nodb");
    assertThat(doc.path("header").path("type").asText()).isEqualTo("climate");
    assertThat(doc.path("header").path("version").asLong()).isEqualTo(2);
    assertThat(doc.path("header").path("fence").asLong()).isPositive();
    assertThat(doc.path("state").path("endYear").asInt()).isEqualTo(2020);
    assertUntouched(file, before);
  }

  @Test
  void aLegacyPythonEraFileIsValidWithANote() throws IOException {
    Path file = Files.createDirectories(runsRoot.resolve("legacy")).resolve("climate.nodb");
    Files.writeString(
        file, "{\"py/object\": \"wepppy.nodb.climate.Climate\", \"_climatestation\": \"ID1\"}");

    CliProcess.Result r = CliProcess.nodb("inspect", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("valid    yes", "legacy format 0", "_climatestation");
  }

  static List<Arguments> corruptFiles() {
    String header =
        "\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 3, \"fence\": 2}";
    return List.of(
        Arguments.of("empty", "climate.nodb", "", "the file is empty"),
        Arguments.of(
            "truncated",
            "climate.nodb",
            "{" + header + ", \"state\": {\"station\": \"ID",
            "truncated: the JSON ends early at line 1"),
        Arguments.of(
            "not JSON",
            "climate.nodb",
            "{" + header + ",\n \"state\": {\"station\": ID106388}}",
            "not valid JSON at line 2, column"),
        Arguments.of("not an object", "climate.nodb", "[1, 2]", "expected a JSON object"),
        Arguments.of(
            "no header", "climate.nodb", "{\"state\": {}}", "missing the 'nodb' header object"),
        Arguments.of(
            "header field of the wrong type",
            "climate.nodb",
            "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": \"3\", \"fence\": 2},"
                + " \"state\": {}}",
            "header field 'version' must be an integer from 0 to 9007199254740991"),
        Arguments.of(
            "newer format",
            "climate.nodb",
            "{\"nodb\": {\"format\": 9, \"type\": \"climate\", \"version\": 3, \"fence\": 2},"
                + " \"state\": {}}",
            "written in format 9, newer than this build reads"),
        Arguments.of(
            "another controller's type",
            "landuse.nodb",
            "{" + header + ", \"state\": {}}",
            "holds controller type 'climate', expected 'landuse'"),
        Arguments.of("no state", "climate.nodb", "{" + header + "}", "missing the 'state' object"),
        Arguments.of(
            "state of the wrong shape",
            "climate.nodb",
            "{" + header + ", \"state\": {\"startYear\": \"soon\"}}",
            "state does not fit ClimateState at field 'state.startYear'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptFiles")
  void aCorruptFileExits4WithAPreciseDiagnosisAndIsNotModified(
      String kind, String name, String content, String problem) throws IOException {
    Path file = Files.createDirectories(runsRoot.resolve("corrupt-run")).resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, OLD);
    byte[] before = Files.readAllBytes(file);

    CliProcess.Result text = CliProcess.nodb("inspect", file.toString());
    CliProcess.Result json = CliProcess.nodb("--json", "inspect", file.toString());

    assertThat(text.exitCode()).as(text.toString()).isEqualTo(4);
    assertThat(text.stdout()).contains("valid    no", "problem  " + problem);
    assertThat(text.stderr()).contains("corrupt nodb file " + file, problem);
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(4);
    JsonNode doc = json.json();
    assertThat(doc.path("valid").asBoolean(true)).isFalse();
    assertThat(doc.path("path").asText()).isEqualTo(file.toString());
    assertThat(doc.path("problem").asText()).startsWith(problem);
    assertUntouched(file, before);
    try (var siblings = Files.list(file.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly(name);
    }
  }

  @Test
  void aJsonSyntaxErrorIsPointedAtWithACaret() throws IOException {
    Path file = Files.createDirectories(runsRoot.resolve("caret")).resolve("ron.nodb");
    Files.writeString(
        file,
        "{\"nodb\": {\"format\": 1, \"type\": \"ron\", \"version\": 1, \"fence\": 1},\n"
            + "\"state\": {\"name\": \"a\" \"owner\": \"b\"}}");

    CliProcess.Result r = CliProcess.nodb("inspect", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    List<String> lines = r.stdout().lines().toList();
    int at = lines.indexOf("         \"state\": {\"name\": \"a\" \"owner\": \"b\"}}");
    assertThat(at).as(r.toString()).isPositive();
    assertThat(lines.get(at + 1)).isEqualTo("         " + " ".repeat(22) + "^");
  }

  @Test
  void aMissingFileExits4() {
    Path missing = runsRoot.resolve("nothing.nodb");

    CliProcess.Result r = CliProcess.nodb("inspect", missing.toString(), "--json");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.json().path("problem").asText()).isEqualTo("no such file");
    assertThat(r.stderr()).contains("no such file: " + missing);
    assertThat(missing).doesNotExist();
  }

  private static void assertUntouched(Path file, byte[] before) throws IOException {
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(OLD);
  }
}
