package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LockPathsTest {

  @Test
  void escapesSeparatorsSoEveryNameIsOneFile() {
    assertThat(LockPaths.base("a/b/c.nodb")).isEqualTo("a%2Fb%2Fc.nodb");
    assertThat(LockPaths.base("100%/x")).isEqualTo("100%25%2Fx");
    assertThat(LockPaths.base("a%2Fb")).isNotEqualTo(LockPaths.base("a/b"));
  }

  @Test
  void shortensLongNamesWithADigestThatKeepsThemApart() {
    String prefix = "s".repeat(70) + "/" + "t".repeat(70) + "/" + "u".repeat(70) + "/";
    String one = LockPaths.base(prefix + "one.nodb");
    String two = LockPaths.base(prefix + "two.nodb");

    assertThat(one).hasSize(LockPaths.MAX_BASE).contains("~").isNotEqualTo(two);
    assertThat(two).hasSize(LockPaths.MAX_BASE);
  }

  @Test
  void placesAKeysFilesInItsRunsLockDirectoryWithDistinctSuffixes() {
    LockPaths paths = new LockPaths(Path.of("/runs"));
    LockKey key = LockKey.of("r1", "x.nodb");
    Path dir = paths.lockDir("r1");

    assertThat(dir).isEqualTo(Path.of("/runs/r1/.nodb-locks"));
    assertThat(LockPaths.stateFile(dir, key)).isEqualTo(dir.resolve("x.nodb.lock"));
    assertThat(LockPaths.stripeGuard(dir, 7)).isEqualTo(dir.resolve("stripe-07.mutex"));
    assertThat(LockPaths.stripeTemp(dir, 63)).isEqualTo(dir.resolve("stripe-63.tmp"));
    assertThat(LockPaths.corruptName("x.nodb.lock", 12)).isEqualTo("x.nodb.lock.corrupt-12");
    assertThat(paths.auditLog("r1")).isEqualTo(dir.resolve("audit.log"));
    assertThat(LockPaths.isStateFile("x.nodb.lock.tmp")).isFalse();
    assertThat(LockPaths.isStateFile("x.nodb.guard")).isFalse();
    assertThat(LockPaths.isStateFile("audit.log")).isFalse();
    assertThat(LockPaths.isStateFile("x.nodb.lock.released")).isFalse();
    assertThat(LockPaths.isStateFile("x.nodb.lock.corrupt-12")).isFalse();
    assertThat(LockPaths.isStateFile("x.nodb.lock")).isTrue();
  }

  @Test
  void noRunWideFileIsAKeysFileOrAnOldLayoutFile() {
    for (String runFile :
        new String[] {
          LockPaths.COUNTER_FILE,
          LockPaths.COUNTER_TEMP,
          LockPaths.RUN_GUARD,
          LockPaths.EVICTIONS_FILE,
          LockPaths.EVICTIONS_TEMP,
          LockPaths.AUDIT_FILE,
          "stripe-00.mutex",
          "stripe-00.tmp"
        }) {
      assertThat(LockPaths.isStateFile(runFile)).as(runFile).isFalse();
      assertThat(LockPaths.legacyBase(runFile)).as(runFile).isNull();
    }
    assertThat(LockPaths.legacyBase("x.nodb.guard")).isEqualTo("x.nodb");
    assertThat(LockPaths.legacyBase("x.nodb.lock.released")).isEqualTo("x.nodb");
    assertThat(LockPaths.legacyBase("x.nodb.lock.tmp")).isEqualTo("x.nodb");
  }

  @Test
  void stripesAreAFixedHashOfTheBaseWithinTheirBound() {
    // fixed values: every process and version must pick the same guard for a key
    assertThat(LockPaths.stripe("climate.nodb")).isEqualTo(3);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      int s = LockPaths.stripe("res-" + i + ".nodb");
      assertThat(s).isBetween(0, LockPaths.STRIPES - 1);
      seen.add(s);
    }
    assertThat(seen).hasSize(LockPaths.STRIPES);
  }
}
