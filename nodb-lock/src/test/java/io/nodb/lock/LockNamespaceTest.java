package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.InvalidLockNamespaceException;
import io.nodb.InvalidRunIdException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LockNamespaceTest {

  @Test
  void aRunsTagIsItsBareIdAndOtherKindsAreKindColonId() {
    assertThat(LockNamespace.run("run-42").tag()).isEqualTo("run-42");
    assertThat(LockNamespace.run("run-42").isRun()).isTrue();
    assertThat(LockNamespace.of("run", "run-42")).isEqualTo(LockNamespace.run("run-42"));
    LockNamespace billing = LockNamespace.of("app", "billing");
    assertThat(billing.tag()).isEqualTo("app:billing");
    assertThat(billing.isRun()).isFalse();
    assertThat(billing.toString()).isEqualTo("app:billing");
    assertThat(LockKey.of(billing, "invoice").toString()).isEqualTo("app:billing/invoice");
    assertThat(LockKey.of("run-42", "climate.nodb").namespace())
        .isEqualTo(LockNamespace.run("run-42"));
  }

  @Test
  void parseReadsBothFormsAndRoundTripsTags() {
    assertThat(LockNamespace.parse("run-42")).isEqualTo(LockNamespace.run("run-42"));
    assertThat(LockNamespace.parse("run:run-42")).isEqualTo(LockNamespace.run("run-42"));
    assertThat(LockNamespace.parse("flight:prices"))
        .isEqualTo(LockNamespace.of(LockNamespace.FLIGHT, "prices"));
    assertThatThrownBy(() -> LockNamespace.parse("flight:"))
        .isInstanceOf(InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid flight id ''");
    assertThatThrownBy(() -> LockNamespace.parse("flight:a:b"))
        .isInstanceOf(InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid flight id 'a:b'");
    assertThatThrownBy(() -> LockNamespace.parse("-x")).isInstanceOf(InvalidRunIdException.class);
    assertThatThrownBy(() -> LockNamespace.parse(null)).isInstanceOf(InvalidRunIdException.class);
  }

  @Test
  void badIdsNameTheirKindAndABadRunIdIsStillARunIdError() {
    assertThatThrownBy(() -> LockNamespace.of(LockNamespace.JOB, "a..b"))
        .isInstanceOf(InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid job id 'a..b'");
    assertThatThrownBy(() -> LockNamespace.of(LockNamespace.JOB, "x".repeat(129)))
        .isInstanceOf(InvalidLockNamespaceException.class);
    assertThatThrownBy(() -> LockNamespace.of("Job", "x"))
        .isInstanceOf(InvalidLockNamespaceException.class)
        .hasMessageContaining("invalid lock namespace kind 'Job'");
    assertThatThrownBy(() -> LockNamespace.of(null, "x"))
        .isInstanceOf(InvalidLockNamespaceException.class);
    assertThatThrownBy(() -> LockNamespace.of("a{b", "x"))
        .isInstanceOf(InvalidLockNamespaceException.class);
    assertThatThrownBy(() -> LockNamespace.of("app", "{x}"))
        .isInstanceOf(InvalidLockNamespaceException.class);
    assertThatThrownBy(() -> LockNamespace.of("run", "a/b"))
        .isInstanceOf(InvalidRunIdException.class)
        .hasMessageContaining("invalid run id");
    assertThat(LockNamespace.of("k".repeat(32), "i".repeat(128)).tag()).hasSize(161);
  }

  @Test
  void runIdIsOnlyForRunKeys() {
    LockKey job = LockKey.of(LockNamespace.of(LockNamespace.JOB, "nightly"), "report");
    assertThatThrownBy(job::runId)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job:nightly/report")
        .hasMessageContaining("job");
    assertThat(LockKey.of("r1", "a").runId()).isEqualTo("r1");
  }

  @Property(tries = 2000)
  void noOtherNamespacesTagIsAValidRunIdAndTagsRoundTrip(
      @ForAll("kinds") String kind, @ForAll("ids") String id) {
    LockNamespace ns;
    try {
      ns = LockNamespace.of(kind, id);
    } catch (InvalidLockNamespaceException | InvalidRunIdException refused) {
      assertThat(refused.getMessage()).startsWith("invalid");
      return;
    }
    assertThat(LockNamespace.parse(ns.tag())).isEqualTo(ns);
    assertThat(ns.tag()).doesNotContain("{", "}");
    if (!ns.isRun()) {
      String tag = ns.tag();
      assertThatThrownBy(() -> LockKey.requireValidRunId(tag))
          .isInstanceOf(InvalidRunIdException.class);
    }
  }

  @Provide
  Arbitrary<String> kinds() {
    return Arbitraries.oneOf(
        Arbitraries.of("run", "flight", "job", "app", "shedlock", "sf"),
        Arbitraries.strings().withChars("abz09-:{}. R").ofMinLength(0).ofMaxLength(34));
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.strings().withChars("aZ09._-:{}/\0 ").ofMinLength(0).ofMaxLength(130);
  }
}
