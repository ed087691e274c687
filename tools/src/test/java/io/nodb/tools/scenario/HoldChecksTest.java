package io.nodb.tools.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HoldChecksTest {

  private static Hold hold(String holder, String lock, long enter, long exit, long fence) {
    return new Hold(holder, lock, enter, exit, fence, 0);
  }

  @Test
  void disjointSectionsInFenceOrderPass() {
    List<Hold> holds =
        List.of(
            hold("b", "x", 20, 30, 2),
            hold("a", "x", 0, 10, 1),
            hold("a", "x", 30, 40, 3),
            hold("c", "y", 5, 35, 1));

    assertThat(HoldChecks.overlaps(holds)).isZero();
    assertThat(HoldChecks.fenceInversions(holds)).isZero();
    assertThat(HoldChecks.handoffs(holds)).isEqualTo(2);
  }

  @Test
  void overlapsAreCountedPerLockIncludingOneInsideALongerSection() {
    List<Hold> holds =
        List.of(
            hold("a", "x", 0, 100, 1),
            hold("b", "x", 10, 20, 2),
            hold("c", "x", 50, 60, 3),
            hold("d", "x", 100, 110, 4),
            hold("e", "y", 0, 100, 1));

    assertThat(HoldChecks.overlaps(holds)).isEqualTo(2);
  }

  @Test
  void aFenceNotAboveThePreviousEntrysIsAnInversion() {
    List<Hold> holds =
        List.of(hold("a", "x", 0, 10, 5), hold("b", "x", 10, 20, 5), hold("c", "x", 20, 30, 4));

    assertThat(HoldChecks.fenceInversions(holds)).isEqualTo(2);
  }

  @Test
  void nanoTimeWrapAroundOrdersByDifference() {
    long near = Long.MAX_VALUE - 5;
    List<Hold> holds =
        List.of(hold("b", "x", near + 10, near + 20, 2), hold("a", "x", near, near + 10, 1));

    assertThat(HoldChecks.overlaps(holds)).isZero();
    assertThat(HoldChecks.fenceInversions(holds)).isZero();
  }

  @Test
  void statsUseNearestRank() {
    List<Long> nanos = new java.util.ArrayList<>();
    for (long i = 1; i <= 100; i++) {
      nanos.add(i * 1_000_000);
    }
    Stats s = Stats.ofNanos(nanos);

    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50Millis()).isEqualTo(50.0);
    assertThat(s.p99Millis()).isEqualTo(99.0);
    assertThat(s.maxMillis()).isEqualTo(100.0);
    assertThat(Stats.ofNanos(List.of()).maxMillis()).isZero();
  }
}
