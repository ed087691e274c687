package io.nodb.testing.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.ReleaseOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counts the CLI's scenarios report: overlaps, fence inversions and hand-offs. */
class OverlapCheckerCountsTest {

  private static HoldRecord hold(String key, long pid, String thread, long in, long out, long f) {
    return new HoldRecord(key, f, in, out, pid, thread, ReleaseOutcome.RELEASED, out);
  }

  @Test
  void overlapsAndFenceInversionsAreCountedApart() {
    List<HoldRecord> holds =
        List.of(
            hold("a", 1, "t1", 0, 10, 1),
            hold("a", 1, "t2", 5, 20, 2), // enters while t1 holds
            hold("a", 2, "t1", 30, 40, 2), // fence not above its predecessor's
            hold("b", 1, "t1", 0, 10, 7));

    CheckReport r = OverlapChecker.check(holds);

    assertThat(r.violations(OverlapChecker.OVERLAP)).isEqualTo(1);
    assertThat(r.violations(OverlapChecker.FENCE_ORDER)).isEqualTo(1);
    assertThat(r.violations()).hasSize(2);
  }

  @Test
  void handoffsCountChangesOfHolderPerKeyInEntryOrder() {
    List<HoldRecord> holds =
        List.of(
            hold("a", 1, "t1", 20, 30, 3),
            hold("a", 1, "t1", 0, 10, 1),
            hold("a", 1, "t2", 10, 20, 2), // same pid, other thread: a hand-off
            hold("a", 2, "t2", 30, 40, 4), // same thread name, other pid: a hand-off
            hold("b", 1, "t1", 0, 10, 1));

    assertThat(OverlapChecker.handoffs(holds)).isEqualTo(3);
    assertThat(OverlapChecker.handoffs(List.of())).isZero();
  }
}
