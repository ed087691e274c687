package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerFileTest {

  @TempDir Path dir;

  private ControllerFile read(String content) throws IOException {
    Path file = dir.resolve("climate.nodb");
    Files.writeString(file, content);
    return ControllerFile.read(dir, "climate.nodb");
  }

  @Test
  void readsTheHeaderWhicheverFieldComesFirst() throws IOException {
    ControllerFile f =
        read(
            "{\"state\": {\"deep\": [{\"nodb\": 1}]}, \"nodb\": {\"format\": 1, \"type\": \"climate\","
                + " \"version\": 12, \"fence\": 7, \"writtenAt\": \"2025-05-01T10:15:30Z\","
                + " \"writer\": \"hpc-3:4121\", \"future\": true}}");

    assertThat(f.readable()).isTrue();
    assertThat(f)
        .isEqualTo(
            new ControllerFile(
                "climate.nodb",
                "climate",
                12,
                7,
                "2025-05-01T10:15:30Z",
                "hpc-3:4121",
                null,
                null));
  }

  @Test
  void diagnosesTruncatedJson() throws IOException {
    ControllerFile f = read("{\"nodb\": {\"format\": 1, \"version\": 3");

    assertThat(f.readable()).isFalse();
    assertThat(f.corrupt()).matches("truncated: the JSON ends early at line 1, column \\d+");
    assertThat(f.corrupt().length()).isLessThanOrEqualTo(120);
  }

  @Test
  void diagnosesAMissingHeaderAndBadHeaderFields() throws IOException {
    assertThat(read("{\"state\": {}}").corrupt()).isEqualTo("missing the 'nodb' header object");
    assertThat(read("[1, 2]").corrupt())
        .isEqualTo("expected a JSON object at the top level, found array");
    String valid = "\"type\": \"climate\", \"format\": 1";
    assertThat(read("{\"nodb\": {" + valid + ", \"version\": \"x\", \"fence\": 1}}").corrupt())
        .startsWith("header field 'version' must be an integer from 0 to 9007199254740991");
    assertThat(read("{\"nodb\": {" + valid + ", \"version\": 2}, \"state\": {}}").corrupt())
        .startsWith("header field 'fence' must be an integer");
  }

  @Test
  void readsAsStrictlyAsTheStore() throws IOException {
    String env =
        "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 3, \"fence\": 1},"
            + " \"state\": {}}";
    assertThat(read(env).readable()).isTrue();
    assertThat(read(env + " {}").corrupt()).contains("Trailing token");
    assertThat(read(env.replace("\"fence\": 1", "\"fence\": 1, \"version\": 9")).corrupt())
        .contains("Duplicate field 'version'");
    assertThat(read("\ufeff" + env).corrupt()).contains("byte order mark");
  }

  @Test
  void aStateTheControllerCannotLoadIsCorruptAsInInspectAndTheStore() throws IOException {
    // status and migrate read through the same NoDbFiles.inspect as 'nodb inspect': a file the
    // store would refuse on load is never "ok" (nor "current" for migrate)
    ControllerFile f =
        read(
            "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 3, \"fence\": 1},"
                + " \"state\": {\"startYear\": [1990]}}");

    assertThat(f.readable()).isFalse();
    assertThat(f.corrupt())
        .startsWith("state does not fit ClimateState at field 'state.startYear'");
  }

  @Test
  void reportsLinksAndSpecialFilesWithoutFollowingThem() throws Exception {
    Path outside = Files.createTempFile("victim", ".nodb");
    try {
      Files.createSymbolicLink(dir.resolve("climate.nodb"), outside);
      assertThat(ControllerFile.read(dir, "climate.nodb").corrupt())
          .contains("leads out of the run");
    } finally {
      Files.delete(outside);
    }
    Path fifo = dir.resolve("landuse.nodb");
    new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
    assertThat(ControllerFile.read(dir, "landuse.nodb").corrupt()).contains("not a regular file");
  }
}
