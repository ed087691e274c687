package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.lock.LockClient;
import java.nio.file.Path;
import java.util.List;

/** The {@code nodb} commands end to end on the local backend (lock files under the run dir). */
class LocalBackendCliIT extends CliContract {

  @Override
  LockClient newClient(Path runsRoot) {
    return LockClient.builder().local(runsRoot).build();
  }

  @Override
  List<String> backendArgs() {
    return List.of();
  }

  @Override
  String backendPrefix() {
    return "local:" + runsRoot.toAbsolutePath().normalize();
  }

  @Override
  String orphanMakerBackend() {
    return runsRoot.toString();
  }

  @Override
  void assertDoctorBackendChecks(JsonNode doc, String text) {
    assertThat(check(doc, "runs root").path("status").asText()).isEqualTo("ok");
    assertThat(check(doc, "runs root").path("detail").asText()).contains("writable");
    assertThat(doc.has("redis")).isFalse();
    assertThat(CliContract.line(text, "runs root")).contains("ok");
  }
}
