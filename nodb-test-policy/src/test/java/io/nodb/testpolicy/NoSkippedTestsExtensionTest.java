package io.nodb.testpolicy;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Proves the policy: an aborted test and a {@code @Disabled} one both end as failures. */
class NoSkippedTestsExtensionTest {

  private static Events run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .configurationParameter("junit.jupiter.conditions.deactivate", "*")
        .selectors(selectClass(fixture))
        .execute()
        .testEvents();
  }

  @Test
  void anAbortedTestFailsTheRun() {
    Events events = run(PolicyFixtures.AbortedByAssumption.class);
    events.assertStatistics(s -> s.aborted(0).skipped(0).failed(1));
    events
        .assertThatEvents()
        .haveExactly(
            1, finishedWithFailure(message(m -> m.contains("does not allow skipped tests"))));
  }

  @Test
  void aDisabledTestRunsAnyway() {
    Events events = run(PolicyFixtures.DisabledButBroken.class);
    events.assertStatistics(s -> s.skipped(0).failed(1));
  }
}
