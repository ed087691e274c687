package io.nodb.testpolicy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Fixture classes run by {@link NoSkippedTestsExtensionTest} through the engine test kit. */
final class PolicyFixtures {

  private PolicyFixtures() {}

  static final class AbortedByAssumption {
    @Test
    void assumesSomethingFalse() {
      Assumptions.assumeTrue(false, "no Redis here");
    }
  }

  static final class DisabledButBroken {
    @Disabled("would hide a failure")
    @Test
    void failsWhenRun() {
      throw new AssertionError("the disabled test ran and failed");
    }
  }
}
