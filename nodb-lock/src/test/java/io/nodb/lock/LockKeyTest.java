package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.InvalidRunIdException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockKeyTest {

  @ParameterizedTest
  @ValueSource(strings = {"run-42", "A", "a.b_c-d", "0run"})
  void acceptsValidRunIds(String runId) {
    assertThat(LockKey.of(runId, "climate.nodb").runId()).isEqualTo(runId);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "-run", ".run", "a/b", "a\\b", "a..b", "..", "a b", "run\0x", "{run}"})
  void rejectsInvalidRunIdsNamingTheValue(String runId) {
    assertThatThrownBy(() -> LockKey.of(runId, "climate.nodb"))
        .isInstanceOf(InvalidRunIdException.class)
        .hasMessageContaining("invalid run id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"climate.nodb", "sub/landuse.nodb", "_pups/x.nodb"})
  void acceptsValidNames(String name) {
    assertThat(LockKey.of("run", name).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/abs.nodb", "../escape.nodb", "a/../b", "a//b", "a/", "./a", "x{y}"})
  void rejectsNamesThatCouldEscapeTheRun(String name) {
    assertThatThrownBy(() -> LockKey.of("run", name))
        .isInstanceOf(InvalidRunIdException.class)
        .hasMessageContaining("invalid controller path");
  }

  @org.junit.jupiter.api.Test
  void rejectsOverlongRunIdAndNullParts() {
    assertThatThrownBy(() -> LockKey.of("r".repeat(129), "a"))
        .isInstanceOf(InvalidRunIdException.class);
    assertThatThrownBy(() -> LockKey.of((String) null, "a"))
        .isInstanceOf(InvalidRunIdException.class);
    assertThatThrownBy(() -> LockKey.of((LockNamespace) null, "a"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> LockKey.of("run", null)).isInstanceOf(InvalidRunIdException.class);
    assertThat(LockKey.of("r".repeat(128), "a").toString()).endsWith("/a");
  }
}
