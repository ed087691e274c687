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
    return ControllerFile.read("climate.nodb", file);
  }

  @Test
  void readsTheHeaderWhicheverFieldComesFirst() throws IOException {
    ControllerFile f =
        read(
            "{\"state\": {\"deep\": [{\"nodb\": 1}]}, \"nodb\": {\"format\": 1, \"type\": \"Climate\","
                + " \"version\": 12, \"fence\": 7, \"writtenAt\": \"2025-05-01T10:15:30Z\","
                + " \"writer\": \"hpc-3:4121\", \"future\": true}}");

    assertThat(f.readable()).isTrue();
    assertThat(f)
        .isEqualTo(
            new ControllerFile(
                "climate.nodb", "Climate", 12, 7, "2025-05-01T10:15:30Z", "hpc-3:4121", null));
  }

  @Test
  void diagnosesTruncatedJson() throws IOException {
    ControllerFile f = read("{\"nodb\": {\"format\": 1, \"version\": 3");

    assertThat(f.readable()).isFalse();
    assertThat(f.corrupt())
        .matches("invalid JSON at line 1, column \\d+: Unexpected end-of-input.*");
    assertThat(f.corrupt().length()).isLessThanOrEqualTo(120);
  }

  @Test
  void diagnosesAMissingHeaderAndBadHeaderFields() throws IOException {
    assertThat(read("{\"state\": {}}").corrupt()).isEqualTo("no \"nodb\" header object");
    assertThat(read("[1, 2]").corrupt()).isEqualTo("not a JSON object");
    assertThat(read("{\"nodb\": {\"format\": 1, \"version\": \"x\", \"fence\": 1}}").corrupt())
        .isEqualTo("header field \"version\" is missing or not a number");
    assertThat(read("{\"nodb\": {\"format\": 1, \"version\": 2}}").corrupt())
        .isEqualTo("header field \"fence\" is missing or not a number");
  }
}
