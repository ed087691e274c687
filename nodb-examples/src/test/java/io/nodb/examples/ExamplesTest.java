package io.nodb.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStaleWriteException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples run as written, on the local backend, and leave nothing held. */
class ExamplesTest {

  @TempDir Path runsRoot;

  @Test
  void theLockExampleTakesTheLockTwiceAndReleasesIt() {
    long fence = LockClientExample.buildClimate(runsRoot);

    assertThat(fence).as("the second acquisition's fence").isEqualTo(2);
    try (LockClient locks = LockClient.builder().local(runsRoot).build()) {
      assertThat(locks.admin().locks("run-42")).as("locks left held by the example").isEmpty();
    }
  }

  @Test
  void theStoreExampleCreatesTheRunThenMutatesIt() {
    assertThat(StoreExample.treatRun(runsRoot)).containsExactly("mulch", "thinning");
    assertThat(runsRoot.resolve("run-7/treatments.nodb")).isRegularFile();

    // create never overwrites: run the example again on the same run
    assertThatThrownBy(() -> StoreExample.treatRun(runsRoot))
        .isInstanceOf(NoDbStaleWriteException.class);
    assertThat(Files.exists(runsRoot.resolve("run-7/treatments.nodb"))).isTrue();
  }
}
