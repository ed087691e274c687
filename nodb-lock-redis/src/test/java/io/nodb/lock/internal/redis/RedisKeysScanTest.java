package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fleet scan's reading of run index keys: only {@code nodb-run:{<valid run id>}} counts. */
class RedisKeysScanTest {

  @Test
  void aRunIndexKeyNamesItsRun() {
    assertThat(RedisKeys.runIdOfIndex(RedisKeys.runIndex("run-42"))).isEqualTo("run-42");
    assertThat(RedisKeys.runIdOfIndex(RedisKeys.runIndex("job-billing"))).isEqualTo("job-billing");
    assertThat(RedisKeys.runIdOfIndex(RedisKeys.runIndex("app:billing"))).isEqualTo("app:billing");
  }

  @Test
  void foreignKeysTheScanPatternMatchesAreSkipped() {
    for (String foreign :
        new String[] {
          "nodb-run:{}",
          "nodb-run:{run-1}:extra",
          "nodb-run:{a}{b}",
          "nodb-run:{../x}",
          "nodb-run:{" + "r".repeat(10_000) + "}",
          "nodb-run:{run 1}",
          "nodb-run:{run:run-1}",
          "nodb-run:{App:x}",
          "nodb-run:{app:}",
          "nodb-run:{app:a:b}",
          "nodb-lock:{run-1}:x"
        }) {
      assertThat(RedisKeys.runIdOfIndex(foreign)).as(foreign).isNull();
    }
  }
}
