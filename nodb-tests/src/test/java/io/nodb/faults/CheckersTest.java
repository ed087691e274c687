package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.check.LostUpdateChecker;
import io.nodb.testing.check.OverlapChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers on hand-made records: each violation kind is reported, valid runs are clean. */
class CheckersTest {

  private static HoldRecord hold(long fence, long enter, long exit, boolean valid) {
    return new HoldRecord("r/k", fence, enter, exit, 1, "t", valid);
  }

  @Test
  void disjointHoldsWithGrowingFencesAreClean() {
    assertThat(OverlapChecker.check(List.of(hold(1, 0, 10, true), hold(2, 10, 20, true))).isClean())
        .isTrue();
  }

  @Test
  void anIntervalInsideAnEarlierLongOneIsAnOverlap() {
    List<HoldRecord> h =
        List.of(hold(1, 0, 100, true), hold(2, 10, 20, true), hold(3, 30, 40, true));
    assertThat(OverlapChecker.check(h).violations())
        .hasSize(2)
        .allMatch(v -> v.startsWith("overlap"));
  }

  @Test
  void fencesMustGrowWithinAnEpochButMayRestartAfterIt() {
    List<HoldRecord> h = List.of(hold(5, 0, 10, true), hold(1, 20, 30, true));
    assertThat(OverlapChecker.check(h).violations())
        .singleElement()
        .asString()
        .startsWith("fence order");
    assertThat(OverlapChecker.check(h, 15).isClean()).isTrue();
  }

  @Test
  void invalidHoldsAreLeftOutUnlessAllAreChecked() {
    List<HoldRecord> h = List.of(hold(1, 0, 100, false), hold(2, 10, 20, true));
    assertThat(OverlapChecker.check(h).isClean()).isTrue();
    assertThat(OverlapChecker.checkAll(h).isClean()).isFalse();
  }

  @Test
  void lostUpdatesAndLandedRejectedWritesAreBothViolations() {
    assertThat(LostUpdateChecker.check(10, 10).isClean()).isTrue();
    assertThat(LostUpdateChecker.check(9, 10).violations())
        .singleElement()
        .asString()
        .contains("lost update");
    assertThat(LostUpdateChecker.check(11, 10).isClean()).isFalse();
    assertThat(LostUpdateChecker.check(11, 10, 1).isClean()).isTrue();
  }
}
